// Writes wordlevel-golden.jsonl: HF tokenizers (through @anush008/tokenizers) loads each
// wordlevel-*.json that tokenizer.NewWordLevel wrote (this checks HF can load them) and
// encodes and decodes the texts of wordlevel_test.go. Usage: node make_wordlevel_goldens.js DIR OUT
const fs = require('fs');
const path = require('path');
const { Tokenizer } = require('@anush008/tokenizers');

const texts = [
  "Who directed Parasite?",
  "<|im_start|>user\nWho directed Parasite?<|im_end|>\n<|im_start|>assistant\n<think>\n<PLAN>Search for the film.</PLAN>\n</think>\n<tool_call>\n{\"name\": \"web_search\", \"arguments\": {\"query\": [\"Parasite director\"]}}\n</tool_call><|im_end|>",
  "<answer>Bong Joon-ho</answer>",
  "Unknown words zyzzyva, don't stop!  Twice  spaced.",
  "UPPER lower MiXeD 2019",
  "Where was Kludropan born? Results for \"Vosarin\": Tamelu's city, Stestate.",
  "",
];

(async () => {
  const dir = process.argv[2];
  const lines = [];
  for (const name of ["exact", "space-prefixed", "syllables", "whitespace", "words-punctuation"]) {
    const tok = Tokenizer.fromFile(path.join(dir, `wordlevel-${name}.json`));
    for (const text of texts) {
      const ids = (await tok.encode(text)).getIds();
      const decoded = await tok.decode(ids, false);
      lines.push(JSON.stringify({ tokenizer: name, text, ids, decoded }));
    }
  }
  fs.writeFileSync(process.argv[3], lines.join("\n") + "\n");
})();
