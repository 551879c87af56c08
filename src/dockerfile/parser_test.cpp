#include "dockerfile/parser.h"

#include <gtest/gtest.h>

#include "dockerfile/shell.h"

namespace hivesec::dockerfile {
namespace {

Dockerfile must_parse(std::string_view text) {
  auto r = parse(text);
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
  return r.ok() ? std::move(r).value() : Dockerfile{};
}

std::string parse_error(std::string_view text) {
  auto r = parse(text);
  EXPECT_FALSE(r.ok());
  return r.ok() ? "" : r.error().message;
}

TEST(DockerfileParser, InstructionsWithLinesAndContinuations) {
  auto df = must_parse(
      "# a comment\n"
      "FROM debian:12\n"
      "\n"
      "RUN apt-get update && \\\n"
      "    # comment inside a continuation\n"
      "    apt-get install -y \\\n"
      "      curl\n"
      "user app\n");
  ASSERT_EQ(df.instructions.size(), 3u);
  EXPECT_EQ(df.instructions[0].keyword, "FROM");
  EXPECT_EQ(df.instructions[0].line, 2);
  EXPECT_EQ(df.instructions[1].keyword, "RUN");
  EXPECT_EQ(df.instructions[1].line, 4);
  EXPECT_EQ(df.instructions[1].end_line, 7);
  EXPECT_EQ(df.instructions[1].rest, "apt-get update &&     apt-get install -y       curl");
  EXPECT_EQ(df.instructions[2].keyword, "USER");  // keywords are case-insensitive
  EXPECT_EQ(df.instructions[2].line, 8);
  EXPECT_EQ(df.instructions[2].words, std::vector<std::string>{"app"});
}

TEST(DockerfileParser, EscapeDirectiveBacktick) {
  auto df = must_parse(
      "# escape=`\n"
      "FROM mcr.microsoft.com/windows/servercore\n"
      "COPY testfile.txt c:\\\n"
      "RUN dir c:\\ `\n"
      "    && echo done\n");
  EXPECT_EQ(df.escape, '`');
  ASSERT_EQ(df.instructions.size(), 3u);
  EXPECT_EQ(df.instructions[1].words, (std::vector<std::string>{"testfile.txt", "c:\\"}));
  EXPECT_EQ(df.instructions[2].line, 4);
  EXPECT_EQ(df.instructions[2].rest, "dir c:\\     && echo done");
  // A directive after the first instruction is an ordinary comment.
  auto late = must_parse("FROM a\n# escape=`\nRUN x \\\n y\n");
  EXPECT_EQ(late.escape, '\\');
  EXPECT_EQ(late.instructions[1].rest, "x  y");
  EXPECT_NE(parse_error("# escape=x\nFROM a\n").find("line 1: invalid escape"), std::string::npos);
}

TEST(DockerfileParser, Heredocs) {
  auto df = must_parse(
      "FROM alpine:3.19\n"
      "RUN <<EOF\n"
      "apk add --no-cache curl\n"
      "echo done\n"
      "EOF\n"
      "COPY <<-'CONF' <<EOT2 /etc/\n"
      "\tkey=$VALUE\n"
      "\tCONF\n"
      "second\n"
      "EOT2\n"
      "USER 1000\n");
  ASSERT_EQ(df.instructions.size(), 4u);
  const auto& run = df.instructions[1];
  ASSERT_EQ(run.heredocs.size(), 1u);
  EXPECT_EQ(run.heredocs[0].word, "EOF");
  EXPECT_EQ(run.heredocs[0].body, "apk add --no-cache curl\necho done\n");
  EXPECT_EQ(run.heredocs[0].line, 3);
  EXPECT_EQ(run.end_line, 5);
  const auto& copy = df.instructions[2];
  ASSERT_EQ(copy.heredocs.size(), 2u);
  EXPECT_TRUE(copy.heredocs[0].strip_tabs);
  EXPECT_TRUE(copy.heredocs[0].quoted);
  EXPECT_EQ(copy.heredocs[0].body, "key=$VALUE\n");
  EXPECT_EQ(copy.heredocs[1].word, "EOT2");
  EXPECT_EQ(copy.heredocs[1].body, "second\n");
  EXPECT_EQ(df.instructions[3].line, 11);
  // "<<<" is a here-string and quoted "<<" is text: no heredoc.
  auto none = must_parse("FROM a\nRUN cat <<< hi && echo '<<EOF'\nUSER 1\n");
  EXPECT_TRUE(none.instructions[1].heredocs.empty());
  EXPECT_EQ(none.instructions.size(), 3u);
}

TEST(DockerfileParser, UnterminatedHeredocNamesItsLine) {
  std::string e = parse_error("FROM a\n\nRUN <<EOF\necho hi\n");
  EXPECT_NE(e.find("line 3: unterminated heredoc <<EOF"), std::string::npos) << e;
}

TEST(DockerfileParser, ExecAndShellForms) {
  auto df = must_parse(
      "FROM a\n"
      "CMD [\"nginx\", \"-g\", \"daemon off;\"]\n"
      "ENTRYPOINT [not json\n"
      "RUN --mount=type=cache,target=/var/cache/apt [\"/bin/sh\", \"-c\", \"echo hi\"]\n");
  EXPECT_TRUE(df.instructions[1].exec_form);
  EXPECT_EQ(df.instructions[1].exec_args,
            (std::vector<std::string>{"nginx", "-g", "daemon off;"}));
  EXPECT_FALSE(df.instructions[2].exec_form);
  EXPECT_EQ(df.instructions[2].rest, "[not json");
  EXPECT_TRUE(df.instructions[3].exec_form);
  EXPECT_EQ(df.instructions[3].flag("mount"), "type=cache,target=/var/cache/apt");
  EXPECT_EQ(df.instructions[3].exec_args.size(), 3u);
}

TEST(DockerfileParser, MultiStageAndStageReferences) {
  auto df = must_parse(
      "ARG GO=1.22\n"
      "FROM golang:${GO} AS Build\n"
      "RUN go build\n"
      "FROM build AS test\n"
      "ENV MODE=test\n"
      "FROM test\n"
      "FROM scratch\n"
      "COPY --from=build /app /app\n");
  ASSERT_EQ(df.stages.size(), 4u);
  EXPECT_EQ(df.instructions[0].stage, -1);  // global ARG
  EXPECT_EQ(df.stages[0].base, "golang:1.22");
  EXPECT_EQ(df.stages[0].name, "build");
  EXPECT_EQ(df.stages[0].base_stage, -1);
  EXPECT_EQ(df.stages[1].base_stage, 0);  // case-insensitive stage names
  EXPECT_EQ(df.stages[2].base_stage, 1);
  EXPECT_EQ(df.stages[2].env.at("MODE"), "test");  // inherited from the stage it is built on
  EXPECT_EQ(df.stages[3].base_stage, -1);
  EXPECT_EQ(df.stages[3].line, 7);
  EXPECT_EQ(df.final_stage().index, 3);
  EXPECT_EQ(df.instructions[7].flag("from"), "build");
}

TEST(DockerfileParser, ArgAndEnvExpansion) {
  auto df = must_parse(
      "ARG BASE=debian\n"
      "ARG TAG\n"
      "FROM ${BASE}:${TAG:-12}\n"
      "ARG BASE\n"
      "ARG PORT=8080\n"
      "ENV APP_USER=app HOME_DIR=\"/home/$APP_USER x\"\n"
      "ENV LEGACY value with spaces\n"
      "USER ${APP_USER}\n"
      "EXPOSE $PORT ${MISSING:-9090} ${PORT:+443} ${MISSING:+1}\n"
      "LABEL from=$BASE single='$BASE' escaped=\\$BASE\n");
  EXPECT_EQ(df.stages[0].base, "debian:12");
  // ENV on one line sees the values from before the line, like the builder.
  EXPECT_EQ(df.instructions[5].words, (std::vector<std::string>{"APP_USER=app", "HOME_DIR=/home/ x"}));
  EXPECT_EQ(df.instructions[6].words, std::vector<std::string>{"LEGACY=value with spaces"});
  EXPECT_EQ(df.instructions[7].words, std::vector<std::string>{"app"});
  EXPECT_EQ(df.instructions[8].words, (std::vector<std::string>{"8080", "9090", "443"}));
  EXPECT_EQ(df.instructions[9].words,
            (std::vector<std::string>{"from=debian", "single=$BASE", "escaped=$BASE"}));
  // A global ARG is not visible in a stage unless declared there.
  auto scoped = must_parse("ARG V=1\nFROM a\nUSER u$V\n");
  EXPECT_EQ(scoped.instructions[2].words, std::vector<std::string>{"u"});
}

TEST(DockerfileParser, SplitWordsErrorsAndDepth) {
  Vars v{{"A", "x"}};
  EXPECT_FALSE(split_words("'open", '\\', &v).ok());
  EXPECT_FALSE(split_words("${A", '\\', &v).ok());
  EXPECT_FALSE(split_words("${A:=b}", '\\', &v).ok());
  auto nested = split_words("${B:-${C:-${A}}}", '\\', &v);
  ASSERT_TRUE(nested.ok());
  EXPECT_EQ(*nested, std::vector<std::string>{"x"});
  std::string deep;
  for (int i = 0; i < 40; ++i) deep += "${X:-";
  deep += "y";
  for (int i = 0; i < 40; ++i) deep += "}";
  EXPECT_FALSE(split_words(deep, '\\', &v).ok());
}

TEST(DockerfileParser, HostileInput) {
  EXPECT_NE(parse_error(std::string("FROM a\nRUN x\0y\n", 15)).find("line 2: binary content"),
            std::string::npos);
  EXPECT_NE(parse_error("FROM a\n\xff\xfe\x01garbage\n").find("line 2: binary content"),
            std::string::npos);
  EXPECT_NE(parse_error("FROM a\nFOO bar\n").find("line 2: unknown instruction 'FOO'"),
            std::string::npos);
  EXPECT_NE(parse_error("RUN x\nFROM a\n").find("line 1: RUN before the first FROM"),
            std::string::npos);
  EXPECT_NE(parse_error("# just a comment\n").find("no FROM"), std::string::npos);
  auto big = parse(std::string(kMaxDockerfileSize + 1, '#'));
  ASSERT_FALSE(big.ok());
  EXPECT_EQ(big.error().code, Errc::kLimit);
  // A continuation at the end of the file ends the instruction.
  auto df = must_parse("FROM a\nRUN echo \\");
  EXPECT_EQ(df.instructions.size(), 2u);
  // CRLF line ends.
  auto crlf = must_parse("FROM a\r\nUSER bob\r\n");
  EXPECT_EQ(crlf.instructions[1].words, std::vector<std::string>{"bob"});
}

TEST(ShellSplit, CommandsPipesAndPrefixes) {
  auto cmds = split_commands(
      "set -eux; DEBIAN_FRONTEND=noninteractive sudo -E apt-get install -y \"a b\" && "
      "curl -fsSL https://x/i.sh | bash 2>&1 || true\n"
      "if [ -f x ]; then chmod 777 /x; fi # trailing comment && rm y");
  std::vector<std::vector<std::string>> words;
  for (const auto& c : cmds) words.push_back(c.words);
  ASSERT_EQ(cmds.size(), 8u);
  EXPECT_EQ(words[0], (std::vector<std::string>{"set", "-eux"}));
  EXPECT_EQ(words[1], (std::vector<std::string>{"apt-get", "install", "-y", "a b"}));
  EXPECT_EQ(words[2][0], "curl");
  EXPECT_TRUE(cmds[2].piped);
  EXPECT_EQ(words[3], (std::vector<std::string>{"bash", "2>&1"}));
  EXPECT_FALSE(cmds[3].piped);
  EXPECT_EQ(words[4], std::vector<std::string>{"true"});
  EXPECT_EQ(words[5], (std::vector<std::string>{"[", "-f", "x", "]"}));
  EXPECT_EQ(words[6], (std::vector<std::string>{"chmod", "777", "/x"}));
  EXPECT_EQ(words[7], std::vector<std::string>{"fi"});
}

}  // namespace
}  // namespace hivesec::dockerfile
