// C++ crash simulator for the extended corpus: methods, templates, exceptions from two paths.
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

namespace vz {

struct Param {
  std::string name;
  std::string value;
};

class Config {
 public:
  explicit Config(const char* path) : path_(path) {
    params_["ve.root"] = new Param{"ve.root", "/vz/root"};
  }
  // Bug: lookup() result is not checked by the caller when the key is missing.
  Param* lookup(const std::string& key) {
    auto it = params_.find(key);
    return it == params_.end() ? nullptr : it->second;
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
  std::map<std::string, Param*> params_;
};

template <typename T>
class Registry {
 public:
  void add(const T& item) { items_.push_back(item); }
  // Bug: index taken from the config without a bounds check.
  const T& at_unchecked(size_t index) const { return *reinterpret_cast<const T*>(reinterpret_cast<const char*>(items_.data()) + index * sizeof(T)); }
  size_t size() const { return items_.size(); }

 private:
  std::vector<T> items_;
};

class Parser {
 public:
  int parse(const std::string& text) {
    if (text.find('=') == std::string::npos) throw std::runtime_error("malformed line: " + text);
    return static_cast<int>(text.size());
  }
};

class Store {
 public:
  void open(const char* path) {
    if (std::strncmp(path, "/vz/", 4) != 0) throw std::invalid_argument(std::string("store outside /vz: ") + path);
  }
};

class Manager {
 public:
  explicit Manager(const char* cfg) : config_(cfg) {}

  int start() {
    // volatile: without it clang -O3 -flto proves the NULL path undefined and drops the load.
    Param* volatile p = config_.lookup("ve.layout");
    return static_cast<int>(p->value.size());
  }

  int load(const char* line) {
    Parser parser;
    return parser.parse(line);
  }

  void restore(const char* path) {
    Store store;
    store.open(path);
  }

  long pick(size_t index) {
    Registry<std::string> names;
    names.add("ct100");
    return static_cast<long>(names.at_unchecked(index).size());
  }

 private:
  Config config_;
};

}  // namespace vz

int main(int argc, char** argv) {
  if (argc < 2) return 2;
  vz::Manager manager("/etc/vz/vz.conf");
  std::string cmd = argv[1];
  if (cmd == "start") return manager.start();
  if (cmd == "load") return manager.load(argc > 2 ? argv[2] : "no-equals-sign");
  if (cmd == "restore") {
    manager.restore(argc > 2 ? argv[2] : "/tmp/store");
    return 0;
  }
  if (cmd == "pick") return static_cast<int>(manager.pick(argc > 2 ? std::strtoul(argv[2], nullptr, 10) : 1u << 28));
  return 2;
}
