#include <tcpmc/graphs/render.hpp>

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>
#include <system_error>

extern char** environ;  // NOLINT: POSIX declares it nowhere else

namespace tcpmc::graphs {
namespace {

namespace fs = std::filesystem;

// A private directory for one rendering, removed however it ends.
class ScratchDir {
 public:
  ScratchDir() {
    std::string pattern = (fs::temp_directory_path() / "tcpmc-dot-XXXXXX").string();
    if (::mkdtemp(pattern.data()) != nullptr) path_ = pattern;
  }
  ~ScratchDir() {
    std::error_code ignored;
    if (!path_.empty()) fs::remove_all(path_, ignored);
  }
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;

  bool ok() const { return !path_.empty(); }
  fs::path file(const char* name) const { return path_ / name; }

 private:
  fs::path path_;
};

std::string read_all(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

}  // namespace

std::variant<std::string, RenderError> render(std::string_view dot, RenderFormat /*format*/) {
  ScratchDir dir;
  if (!dir.ok()) {
    return RenderError{"cannot create a temporary directory: " + std::string(std::strerror(errno))};
  }
  const fs::path in = dir.file("graph.dot");
  const fs::path out = dir.file("graph.svg");
  const fs::path err = dir.file("stderr.txt");
  {
    std::ofstream f(in, std::ios::binary);
    f << dot;
    if (!f) return RenderError{"cannot write " + in.string()};
  }

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, err.c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0600);
  std::string arg0 = "dot", arg1 = "-Tsvg", arg2 = in.string(), arg3 = "-o", arg4 = out.string();
  char* argv[] = {arg0.data(), arg1.data(), arg2.data(), arg3.data(), arg4.data(), nullptr};
  pid_t pid = 0;
  const int rc = posix_spawnp(&pid, "dot", &actions, nullptr, argv, environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) {
    return RenderError{"cannot run Graphviz 'dot' (" + std::string(std::strerror(rc)) +
                       "); install the Debian package graphviz, or run scripts/run"};
  }
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) return RenderError{"waiting for dot: " + std::string(std::strerror(errno))};
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    if (WIFEXITED(status) && WEXITSTATUS(status) == 127) {
      return RenderError{"Graphviz 'dot' is not on PATH; install the Debian package graphviz"};
    }
    return RenderError{"dot rejected the graph: " + read_all(err)};
  }
  return read_all(out);
}

}  // namespace tcpmc::graphs
