package rrm_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"

	"github.com/atomsearcher/atomsearcher/atom"
	"github.com/atomsearcher/atomsearcher/rrm"
)

func ExampleHeuristic() {
	traj := atom.Parse(nolanText, atom.Options{})
	res, err := rrm.Heuristic{}.Score(context.Background(), rrm.Input{Question: nolanQuestion, Trajectory: traj})
	if err != nil {
		fmt.Println(err)
		return
	}
	for i, th := range traj.Thoughts() {
		fmt.Printf("%-12s %.3f\n", th.Tag, res.Scores[i])
	}
	// Output:
	// PLAN         0.875
	// ACTION       1.000
	// OBSERVATION  1.000
	// VERIFICATION 0.940
}

func ExampleLLMJudge() {
	// A stand-in for a vLLM/SGLang/OpenAI server.
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, `{"id":"1","object":"chat.completion","created":1,"model":"judge","choices":[{"index":0,"finish_reason":"stop",
			"message":{"role":"assistant","content":"{\"thoughts\":[{\"index\":1,\"usefulness\":9,\"correctness\":9,\"grounding\":9},{\"index\":2,\"usefulness\":8,\"correctness\":8,\"grounding\":5},{\"index\":3,\"usefulness\":7,\"correctness\":10,\"grounding\":10},{\"index\":4,\"usefulness\":10,\"correctness\":10,\"grounding\":10}]}"}}]}`)
	}))
	defer srv.Close()

	judge, err := rrm.NewLLMJudge(rrm.LLMJudgeConfig{Client: rrm.ClientConfig{BaseURL: srv.URL + "/v1", Model: "judge"}})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer judge.Close()
	in := rrm.Input{Question: nolanQuestion, Trajectory: atom.Parse(nolanText, atom.Options{})}
	res, err := judge.Score(context.Background(), in)
	fmt.Printf("%.2f %v\n", res.Scores, err)
	res, _ = judge.Score(context.Background(), in) // replayed: from the cache
	fmt.Println(res.Cached, judge.Requests())
	// Output:
	// [0.90 0.70 0.90 1.00] <nil>
	// true 1
}
