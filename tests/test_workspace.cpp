// Tests for the views' model: sliced loading, frame views, the filtered index.
#include "doctest/doctest.h"
#include "redact.h"
#include "report.h"
#include "test_support.h"
#include "workspace.h"

using namespace fi;

namespace {
std::string EventLine(const std::string& t, const std::string& state) {
  return t + " RECV: <message from='pubsub.d'><event xmlns='http://jabber.org/protocol/pubsub#event'><items node='/finesse/api/User/1001'><item id='1'>"
             "<notification xmlns='http://jabber.org/protocol/pubsub'>&lt;Update&gt;&lt;data&gt;&lt;user&gt;&lt;state&gt;" + state +
         "&lt;/state&gt;&lt;/user&gt;&lt;/data&gt;&lt;event&gt;PUT&lt;/event&gt;&lt;/Update&gt;</notification></item></items></event></message>\n";
}
}  // namespace

TEST_CASE("a workspace loads in slices and keeps the last complete input visible") {
  Workspace ws;
  CHECK_FALSE(ws.Loaded());
  ws.Load(Sample("seed-uccx-transcript.txt"), "seed");
  CHECK(ws.Busy());
  int steps = 0;
  while (ws.Busy()) {
    ws.Step(64, 2);
    ++steps;
  }
  CHECK(steps > 2);
  REQUIRE(ws.Loaded());
  CHECK(ws.Generation() == 1);
  CHECK(ws.Name() == "seed");
  CHECK(ws.GetReport().connections.size() == 1);
  // The same JSON as the CLI's.
  Capture cap = ImportCapture(Sample("seed-uccx-transcript.txt"));
  CHECK(ReportJson(ws.GetReport()) == ReportJson(Check(cap)));

  ws.Load("SENT: <open to='x'/>\n", "second");
  ws.Step(1, 1);
  CHECK(ws.Name() == "seed");  // still showing the first while the second loads
  while (ws.Busy()) ws.Step(1000, 1000);
  CHECK(ws.Name() == "second");
  CHECK(ws.Generation() == 2);
}

TEST_CASE("frame views: summaries with the decoded Update") {
  Workspace ws;
  ws.Load("SENT: <iq type='set' id='b'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'><resource>desktop</resource></bind></iq>\n" +
              EventLine("", "READY"),
          "t");
  while (ws.Busy()) ws.Step(1 << 20, 1000);
  CHECK(ws.View(0, 0).summary == "iq set bind → desktop");
  const FrameView& ev = ws.View(0, 1);
  CHECK(ev.summary == "pubsub event /finesse/api/User/1001 · PUT · READY");
  CHECK(ev.update_xml.find("<state>READY</state>") != std::string::npos);
}

TEST_CASE("the frame index filters by text, direction and kind, in slices") {
  std::string t = "SENT: <open to='d'/>\n";
  for (int i = 0; i < 50; ++i) t += EventLine("", i % 2 ? "READY" : "NOT_READY");
  t += "RECV: <stream:error><conflict xmlns='urn:ietf:params:xml:ns:xmpp-streams'/></stream:error>\n";
  Workspace ws;
  ws.Load(t, "t");
  while (ws.Busy()) ws.Step(1 << 20, 1000);
  const auto& conn = ws.GetCapture().connections[0];
  const auto& rep = ws.GetReport().connections[0];
  FrameIndex idx;
  FrameFilter f;
  idx.Reset(ws.GetCapture(), ws.GetReport(), 0, f);
  while (!idx.Update(7)) {
  }
  CHECK(idx.Rows().size() == 52);
  f.text = "not_ready";
  idx.Reset(ws.GetCapture(), ws.GetReport(), 0, f);
  idx.Update(1000);
  CHECK(idx.Rows().size() == 25);
  f = FrameFilter();
  f.received = false;
  idx.Reset(ws.GetCapture(), ws.GetReport(), 0, f);
  idx.Update(1000);
  REQUIRE(idx.Rows().size() == 1);
  CHECK(idx.Rows()[0] == 0);
  f = FrameFilter();
  f.kinds = 1u << unsigned(StanzaKind::StreamError);
  idx.Reset(ws.GetCapture(), ws.GetReport(), 0, f);
  idx.Update(1000);
  REQUIRE(idx.Rows().size() == 1);
  CHECK(idx.Rows()[0] == 51);
  // Problem frames: the stream error.
  REQUIRE_FALSE(ws.ProblemFrames(0).empty());
  CHECK(ws.ProblemFrames(0).back() == 51);
}

TEST_CASE("a text log's state lines stand among the frames as note rows, in log order") {
  const std::string t =
      "status connecting ws://h/ws/\n"
      "SENT: <open xmlns='urn:ietf:params:xml:ns:xmpp-framing' to='d'/>\n"
      "RECV: <open xmlns='urn:ietf:params:xml:ns:xmpp-framing' from='d' id='1'/>\n"
      "Websocket error: token=abc.def secret\n"
      "RECV: <stream:features/>\n";
  Workspace ws;
  ws.Load(t, "t");
  while (ws.Busy()) ws.Step(1 << 20, 1000);
  const auto& conn = ws.GetCapture().connections[0];
  REQUIRE(conn.frames.size() == 3);
  REQUIRE(conn.notes.size() == 2);
  CHECK(conn.notes[0].before_frame == 0);
  CHECK(conn.notes[1].before_frame == 2);
  CHECK(conn.notes[1].line == 4);
  FrameIndex idx;
  idx.Reset(ws.GetCapture(), ws.GetReport(), 0, FrameFilter());
  while (!idx.Update(1)) {
  }
  const std::vector<uint32_t> want = {FrameIndex::kNoteRow | 0, 0, 1, FrameIndex::kNoteRow | 1, 2};
  CHECK(idx.Rows() == want);
  CHECK(idx.RowOf(2) == 4);
  CHECK(idx.RowOf(0) == 1);
  FrameFilter f;
  f.text = "websocket";
  idx.Reset(ws.GetCapture(), ws.GetReport(), 0, f);
  idx.Update(100);
  CHECK(idx.Rows() == std::vector<uint32_t>{FrameIndex::kNoteRow | 1});
  // What the views and reports show of a note has its secrets masked.
  CHECK(RedactLogLine(conn.notes[1].text).find("abc.def") == std::string::npos);
  CHECK(ReportJson(ws.GetReport()).find("abc.def") == std::string::npos);
}
