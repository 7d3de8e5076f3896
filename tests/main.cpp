// doctest's main. `finesse_tests --update-golden` rewrites tests/golden/ from the samples.
#define DOCTEST_CONFIG_IMPLEMENT
#include <cstring>

#include "doctest/doctest.h"
#include "test_support.h"

bool g_update_golden = false;

int main(int argc, char** argv) {
  doctest::Context context;
  for (int i = 1; i < argc; ++i)
    if (std::strcmp(argv[i], "--update-golden") == 0) g_update_golden = true;
  context.applyCommandLine(argc, argv);
  return context.run();
}
