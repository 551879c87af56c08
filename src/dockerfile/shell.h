// A rough splitter of shell scripts (RUN commands, image history) into simple commands, for
// checks that look at what a build runs (`apt-get install`, `curl | sh`, `chmod 777`). It is
// not a shell parser: it knows quotes, escapes, comments, `$( )`, and the separators ; & && ||
// | and newlines; control words (if/then/do/...) and the wrappers sudo/env/exec and VAR=value
// assignments in front of a command are dropped. Pure, thread-safe, linear in the input.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace hivesec::dockerfile {

struct ShellCommand {
  std::vector<std::string> words;  // quotes removed; `$(...)` kept as written
  bool piped = false;              // "cmd | next": its output feeds the next command
};

std::vector<ShellCommand> split_commands(std::string_view script);

}  // namespace hivesec::dockerfile
