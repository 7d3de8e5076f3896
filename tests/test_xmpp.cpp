// Tests for xmpp.
#include "doctest/doctest.h"
#include "test_support.h"
