// Splits text into its top-level XML elements without building a tree, for transcripts that
// hold many stanzas and for streams whose <stream:stream> start tag is never closed.
#pragma once

#include <string_view>
#include <vector>

namespace fi {

struct XmlPiece {
  std::string_view text;
  size_t offset = 0;      // byte offset in the input
  bool complete = true;   // false: the input ended inside this element
};

// Comments, processing instructions and a DOCTYPE at the top level are skipped; so is text
// between elements (returned in *stray_text_offset when it is not whitespace, else npos).
// An unclosed <stream:stream ...> start tag and a lone </stream:stream> are pieces of their own.
std::vector<XmlPiece> SplitXmlElements(std::string_view text, size_t* stray_text_offset = nullptr);

// True for the RFC 6120 stream header's name ("stream:stream" or any "prefix:stream").
bool IsStreamHeaderName(std::string_view qname);

}  // namespace fi
