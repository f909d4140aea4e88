package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/atomsearcher/atomsearcher/train"
)

func init() {
	register(&command{
		name:    "train",
		summary: "Train an agent: SFT on expert trajectories, then GRPO with the hybrid reward (default: the embedded synthetic world).",
		usage:   "[-config FILE] [flags]",
		run:     runTrain,
	})
}

func runTrain(ctx context.Context, env *environment, args []string) error {
	c := commands["train"]
	fs := newFlagSet(env, c)
	configPath := fs.String("config", "", "JSON config file (fields it leaves out keep the embedded defaults)")
	out := fs.String("out", "", "run directory (default runs/default)")
	seed := fs.Uint64("seed", 0, "seed of the world, the model and sampling (default 1)")
	modelDir := fs.String("model", "", "Hugging Face checkpoint directory to start from (default: a tiny model from scratch)")
	tok := fs.String("tokenizer", "", "tokenizer.json (default: the model's, or a WordLevel one built from the synthetic world)")
	trainData := fs.String("data", "", `training questions: "synthetic" or a .parquet/.jsonl file`)
	devData := fs.String("dev", "", "held-out questions (.parquet/.jsonl) for a real dataset")
	search := fs.String("search", "", "search backend: local, serper, searxng, elasticsearch")
	index := fs.String("index", "", "local index directory (atomsearcher index) for a real dataset")
	searchURL := fs.String("search-url", "", "URL of the searxng / elasticsearch backend")
	rewardMode := fs.String("reward", "", "reward: hybrid (Atom-Searcher) or outcome (DeepResearcher, F1 only)")
	judge := fs.String("judge", "", "reasoning reward model: heuristic or llm")
	judgeURL := fs.String("judge-url", "", "OpenAI-compatible base URL of the llm judge")
	judgeModel := fs.String("judge-model", "", "model name of the llm judge")
	scheduler := fs.String("scheduler", "", "alpha schedule: linear, constant, cosine")
	hasty := fs.Float64("hasty-experts", -1, "share of the synthetic world's multi-hop SFT demonstrations that answer after the first search (default from the config: 0.6)")
	sftSteps := fs.Int("sft-steps", -1, "SFT steps (default from the config)")
	grpoSteps := fs.Int("grpo-steps", -1, "GRPO steps (default from the config)")
	threads := fs.Int("threads", 0, "libtorch intra-op threads (0: libtorch's default)")
	resume := fs.Bool("resume", false, "continue from the run directory's newest checkpoint, with the run's config.json unless --config is given")
	if err := parseOnlyFlags(fs, args); err != nil {
		return err
	}
	cfg := train.Default()
	switch {
	case *configPath != "":
		var err error
		if cfg, err = train.LoadConfig(*configPath); err != nil {
			return err
		}
	case *resume:
		// a resumed run continues with its own configuration (flags given still override it)
		dir := *out
		if dir == "" {
			dir = cfg.Out
		}
		saved := filepath.Join(dir, "config.json")
		if _, err := os.Stat(saved); err == nil {
			if cfg, err = train.LoadConfig(saved); err != nil {
				return err
			}
			cfg.Out = dir
		} else if !errors.Is(err, os.ErrNotExist) {
			return err
		}
	}
	set := func(dst *string, v string) {
		if v != "" {
			*dst = v
		}
	}
	set(&cfg.Out, *out)
	if *seed != 0 {
		cfg.Seed = *seed
		cfg.Data.World.Seed = *seed
	}
	if *modelDir != "" {
		cfg.Model.Dir, cfg.Model.Tiny = *modelDir, nil
	}
	set(&cfg.Model.Tokenizer, *tok)
	set(&cfg.Data.Train, *trainData)
	set(&cfg.Data.Dev, *devData)
	set(&cfg.Agent.Search, *search)
	set(&cfg.Agent.Index, *index)
	set(&cfg.Agent.URL, *searchURL)
	set(&cfg.Reward.Mode, *rewardMode)
	set(&cfg.Reward.Judge, *judge)
	set(&cfg.Reward.JudgeURL, *judgeURL)
	set(&cfg.Reward.JudgeModel, *judgeModel)
	set(&cfg.Reward.Scheduler, *scheduler)
	if *hasty != -1 {
		cfg.Data.HastyExperts = *hasty
	}
	if *sftSteps >= 0 {
		cfg.SFT.Steps = *sftSteps
	}
	if *grpoSteps >= 0 {
		cfg.GRPO.Steps = *grpoSteps
	}
	if *threads > 0 {
		cfg.Threads = *threads
	}
	if err := cfg.Validate(); err != nil {
		return err
	}
	sum, err := train.Run(ctx, cfg, train.RunOptions{Resume: *resume, Log: env.stderr})
	if err != nil {
		return err
	}
	if sum.AfterSFT != nil && sum.AfterGRPO != nil {
		fmt.Fprintf(env.stdout, "held-out F1 after SFT %.3f, after GRPO %.3f (EM %.3f -> %.3f); run directory %s\n",
			sum.AfterSFT.F1, sum.AfterGRPO.F1, sum.AfterSFT.EM, sum.AfterGRPO.EM, sum.RunDir)
	}
	return nil
}
