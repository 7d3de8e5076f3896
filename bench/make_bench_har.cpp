// Generates the benchmark HAR: Chrome-style, mostly response bodies, plus one WebSocket
// connection carrying a full login and N notification frames.
//   make-bench-har OUT.har [total MB (200)] [notifications (100000)]
#include <cstdio>
#include <cstdlib>
#include <string>

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: make-bench-har OUT.har [total-MB] [notifications]\n");
    return 2;
  }
  std::fprintf(stderr, "not yet\n");
  return 1;
}
