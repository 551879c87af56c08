// Dockerfile (and Containerfile) parser: instructions with their start lines, line
// continuations (the `# escape=` directive included), comments, BuildKit heredocs, exec (JSON)
// and shell forms, multi-stage builds with stage references, and ARG/ENV expansion of the
// instructions the builder expands (FROM, USER, EXPOSE, ENV, ARG, ADD, COPY, LABEL, WORKDIR,
// VOLUME, STOPSIGNAL).
//
// Grammar (per logical line, after directives):
//   line        := [ws] KEYWORD [ws args] ; args continue on the next physical line when the
//                  line ends with the escape character (default '\'); comment lines ("#...")
//                  and blank lines inside a continuation are skipped
//   heredoc     := "<<" ["-"] ( WORD | "'" WORD "'" | '"' WORD '"' ) in RUN/COPY/ADD args; its
//                  body is the physical lines after the instruction up to a line equal to WORD
//                  (leading tabs stripped for "<<-"); several heredocs are read in order
//   exec form   := args that parse as a JSON array of strings
// Input is hostile: at most kMaxDockerfileSize bytes; NUL bytes or invalid UTF-8, an unknown
// instruction, an instruction before FROM (except ARG), no FROM, an unterminated heredoc or a
// malformed directive are errors (kInvalidArgument / kLimit, one line, "line N: ..."). Pure
// functions, thread-safe, never throw.
#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace hivesec::dockerfile {

inline constexpr size_t kMaxDockerfileSize = 4u << 20;

struct Heredoc {
  std::string word;      // the terminator
  std::string body;      // the lines between, each ending in '\n'
  bool strip_tabs = false;  // "<<-"
  bool quoted = false;      // "<<'EOF'": the builder does not expand the body
  int line = 0;             // first body line
};

struct Instruction {
  std::string keyword;             // uppercase: "RUN"
  std::string args;                // everything after the keyword, continuations joined by ' '
  std::vector<std::string> flags;  // leading "--name=value" words of args (FROM, RUN, COPY, ...)
  std::string rest;                // args without the leading flags
  bool exec_form = false;          // rest is a JSON array of strings ...
  std::vector<std::string> exec_args;  // ... these
  std::vector<Heredoc> heredocs;
  // Words of `rest` after quote removal and ARG/ENV expansion, for the instructions the builder
  // expands (see the header comment); empty for the others. An ENV/ARG/LABEL word keeps its
  // "key=value" form.
  std::vector<std::string> words;
  int line = 0;      // first physical line (1-based)
  int end_line = 0;  // last physical line, heredoc bodies included
  int stage = -1;    // index into Dockerfile::stages; -1 for global ARGs before the first FROM

  // The value of a leading flag "--name=value" ("" when absent; "true" for a bare "--name").
  std::string flag(std::string_view name) const;
};

struct Stage {
  int index = 0;
  std::string name;      // "AS name", lowercased; "" when unnamed
  std::string base;      // the FROM image after expansion ("debian:12", "scratch", "builder")
  int base_stage = -1;   // index of the earlier stage `base` names; -1 when it is an image
  int line = 0;          // line of its FROM
  std::vector<size_t> instructions;  // indices into Dockerfile::instructions, FROM first
  std::map<std::string, std::string> env;  // ENV values at the end of the stage (inherited)
};

struct Dockerfile {
  char escape = '\\';
  std::map<std::string, std::string> directives;  // lowercased names ("syntax", "escape")
  std::vector<Instruction> instructions;
  std::vector<Stage> stages;  // at least one

  const Stage& final_stage() const { return stages.back(); }
};

// Parses a whole file. Errors: see the header comment.
[[nodiscard]] Result<Dockerfile> parse(std::string_view text);

// Variables visible to the builder's expansion: name -> value. A name declared without value
// (`ARG X`) is absent.
using Vars = std::map<std::string, std::string>;

// Splits `text` into words as the builder does: unquoted whitespace separates words, quotes are
// removed, `escape` escapes the next character, and (when vars != nullptr) $VAR, ${VAR},
// ${VAR:-word}, ${VAR-word}, ${VAR:+word}, ${VAR+word} are expanded outside single quotes.
// kInvalidArgument for an unterminated quote or ${, or nesting deeper than 16.
[[nodiscard]] Result<std::vector<std::string>> split_words(std::string_view text, char escape,
                                                           const Vars* vars);

}  // namespace hivesec::dockerfile
