// The live host as the page runs it: the workspace owns the live capture, a new test started
// while a session is live stops that one cleanly and appends, and nothing the views hold across
// that hand-over is freed. The sanitizer suite runs these under ASan (the page's old code read
// freed memory here: the workspace pointed at a capture the replaced session owned).
#include <deque>
#include <string>
#include <vector>

#include "doctest/doctest.h"
#include "live_host.h"
#include "report.h"
#include "test_support.h"

using namespace fi;

namespace {

const std::string kFr = "xmlns='urn:ietf:params:xml:ns:xmpp-framing'";
const std::string kBody = "xmlns='http://jabber.org/protocol/httpbind'";
const std::string kFeatures = "<stream:features xmlns:stream='http://etherx.jabber.org/streams'><mechanisms xmlns='urn:ietf:params:xml:ns:xmpp-sasl'><mechanism>PLAIN</mechanism></mechanisms></stream:features>";
const std::string kBindFeatures = "<stream:features xmlns:stream='http://etherx.jabber.org/streams'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'/></stream:features>";

// The server's side of the login, by what the client said last.
std::string Answer(const std::string& sent) {
  if (sent.find("<auth") != std::string::npos) return "<success xmlns='urn:ietf:params:xml:ns:xmpp-sasl'/>";
  if (sent.find("<bind") != std::string::npos)
    return "<iq type='result' id='bind_1' xmlns='jabber:client'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'><jid>1001@finesse.lab/inspector</jid></bind></iq>";
  if (sent.find("<presence") != std::string::npos)
    return "<presence from='finesse@finesse.lab/finesse' to='1001@finesse.lab/inspector' xmlns='jabber:client'/>";
  if (sent.find("<unsubscribe ") != std::string::npos) return "<iq type='result' id='unsub_1' xmlns='jabber:client'/>";
  if (sent.find("<subscribe ") != std::string::npos)
    return "<iq type='result' id='sub_user' from='pubsub.finesse.lab' xmlns='jabber:client'/>";
  return {};
}

std::string Event(int n) {
  return "<message from='pubsub.finesse.lab' to='1001@finesse.lab' xmlns='jabber:client'><event xmlns='http://jabber.org/protocol/pubsub#event'><items node='/finesse/api/User/1001'><item id='" +
         std::to_string(n) + "'><notification xmlns='http://jabber.org/protocol/pubsub'>&lt;Update&gt;&lt;data&gt;&lt;user&gt;&lt;loginId&gt;1001&lt;/loginId&gt;&lt;state&gt;" +
         (n % 2 ? "READY" : "NOT_READY") + "&lt;/state&gt;&lt;/user&gt;&lt;/data&gt;&lt;event&gt;PUT&lt;/event&gt;&lt;/Update&gt;</notification></item></items></event></message>";
}

// A transport that records what it was told and hands the host's answers back later, as the
// page's event loop does (never re-entering the host from Execute).
struct FakeIo : LiveIo {
  std::vector<LiveCommand>* log;
  std::deque<LiveCommand>* pending;
  FakeIo(std::vector<LiveCommand>* l, std::deque<LiveCommand>* p) : log(l), pending(p) {}
  void Execute(const LiveCommand& c) override {
    log->push_back(c);
    pending->push_back(c);
  }
};

struct Page {
  Workspace ws;
  std::vector<std::vector<LiveCommand>> ios;  // what each transport was told, in order made
  std::deque<LiveCommand> pending;
  std::vector<LiveTransport> made;
  LiveHost host{ws, [this](LiveHost&, LiveTransport t) {
                  ios.emplace_back();
                  made.push_back(t);
                  ios.reserve(64);
                  return std::make_unique<FakeIo>(&ios.back(), &pending);
                }};
  double now = 1714557600.0;

  Page() { ios.reserve(64); }

  // Plays the server until nothing is pending: a WebSocket or BOSH login, answered at once.
  void Serve() {
    while (!pending.empty()) {
      LiveCommand c = pending.front();
      pending.pop_front();
      now += 0.001;
      switch (c.kind) {
        case LiveCommandKind::Open: host.Opened(now, "xmpp"); break;
        case LiveCommandKind::Send: {
          if (c.text.rfind("<open", 0) == 0) {
            host.Received(now, "<open " + kFr + " from='finesse.lab' id='s' version='1.0'/>");
            host.Received(now, c.text.find("id=") == std::string::npos && !authed ? kFeatures : kBindFeatures);
            break;
          }
          if (c.text.find("<auth") != std::string::npos) authed = true;
          if (c.text.rfind("<close", 0) == 0) {
            host.Received(now, "<close " + kFr + "/>");
            break;
          }
          std::string a = Answer(c.text);
          if (!a.empty()) host.Received(now, a);
          break;
        }
        case LiveCommandKind::Close: host.Closed(now, c.code, c.text); break;
        case LiveCommandKind::Post: {
          std::string a;
          if (c.text.find("sid=") == std::string::npos)
            a = "<body " + kBody + " sid='s-1' wait='60' requests='2' hold='1' ver='1.6'>" + kFeatures + "</body>";
          else if (c.text.find("xmpp:restart") != std::string::npos)
            a = "<body " + kBody + ">" + kBindFeatures + "</body>";
          else if (c.text.find("type='terminate'") != std::string::npos)
            a = "<body type='terminate' " + kBody + "/>";
          else if (!Answer(c.text).empty())
            a = "<body " + kBody + ">" + Answer(c.text) + "</body>";
          if (a.empty()) {
            polls.push_back(c.code);  // held
            break;
          }
          host.Answered(now, c.code, 200, a);
          break;
        }
        default: break;
      }
    }
    host.Tick(now);
  }
  void Notify(int n) {
    if (host.Driver()->Transport() == LiveTransport::Bosh) {
      REQUIRE_FALSE(polls.empty());
      int poll = polls.front();
      polls.erase(polls.begin());
      host.Answered(now += 0.01, poll, 200, "<body " + kBody + ">" + Event(n) + "</body>");
      Serve();  // the new poll
    } else {
      host.Received(now += 0.01, Event(n));
    }
  }
  bool authed = false;
  std::vector<int> polls;
};

LiveOptions Options(const char* url) {
  LiveOptions o;
  o.url = url;
  o.domain = "finesse.lab";
  o.user = "1001";
  o.password = "agentpass";
  return o;
}

bool Told(const std::vector<LiveCommand>& io, const std::string& what) {
  for (const LiveCommand& c : io)
    if (c.text.find(what) != std::string::npos) return true;
  return false;
}

}  // namespace

TEST_CASE("live host: a new test while a session is live stops it cleanly and appends; views keep what they hold") {
  for (const char* first_url : {"ws://127.0.0.1:5280/ws/", "http://127.0.0.1:5280/http-bind/"}) {
    const std::string url = first_url;
    CAPTURE(url);
    Page p;
    REQUIRE(p.host.Connect(Options(first_url), p.now) == "");
    p.Serve();
    REQUIRE(p.host.Driver()->SequencePassed());
    for (int i = 0; i < 20; ++i) p.Notify(i);
    p.host.Tick(p.now);
    REQUIRE(p.ws.IsLive());
    const uint64_t generation = p.ws.Generation();

    // What the views hold across the hand-over, as the page's frame does: the report, an index
    // over the first connection, a decoded frame.
    const Report& report = p.ws.GetReport();
    FrameIndex index;
    index.Reset(p.ws.GetCapture(), p.ws.GetReport(), 0, FrameFilter());
    while (!index.Update(7)) {
    }
    const size_t rows_before = index.Rows().size();
    const std::string summary = p.ws.View(0, 2).summary;
    CHECK(report.connections.at(0).notification_count == 20);

    // "Test connection" pressed while live, with the other transport.
    p.authed = false;
    p.polls.clear();
    const char* second_url = first_url[0] == 'w' ? "http://127.0.0.1:5280/http-bind/" : "ws://127.0.0.1:5280/ws/";
    REQUIRE(p.host.Connect(Options(second_url), p.now += 1) == "");
    // The old transport was told to unsubscribe and close, before the new one was made.
    REQUIRE(p.ios.size() == 2);
    CHECK(Told(p.ios[0], "<unsubscribe node='/finesse/api/User/1001'"));
    CHECK((Told(p.ios[0], "<close") || Told(p.ios[0], "type='terminate'")));
    // Only the new transport's commands are played from here on.
    p.pending.erase(std::remove_if(p.pending.begin(), p.pending.end(), [&](const LiveCommand& c) {
                      return std::find_if(p.ios[1].begin(), p.ios[1].end(), [&](const LiveCommand& d) {
                               return d.kind == c.kind && d.text == c.text && d.code == c.code;
                             }) == p.ios[1].end();
                    }), p.pending.end());
    p.Serve();
    REQUIRE(p.host.Driver()->SequencePassed());
    for (int i = 0; i < 5; ++i) p.Notify(100 + i);
    p.host.Tick(p.now);

    // The same input, grown: the old session is an ended connection, the new one follows it.
    CHECK(p.ws.Generation() == generation);
    const Report& after = p.ws.GetReport();
    CHECK(&after == &report);
    REQUIRE(after.connections.size() == 2);
    CHECK(after.connections[0].ended);
    CHECK(after.connections[0].verdict == Verdict::Healthy);  // stopped by us, cleanly
    CHECK_FALSE(HasFinding(after.connections[0], "abnormal-close"));
    CHECK(after.connections[1].verdict == Verdict::Healthy);
    CHECK(after.connections[1].notification_count == 5);
    CHECK(after.connections[1].connection->transport ==
          (second_url[0] == 'w' ? Transport::WebSocket : Transport::Bosh));
    // What the views held still reads, and the index goes on from where it was.
    while (!index.Update(7)) {
    }
    CHECK(index.Rows().size() >= rows_before);
    CHECK(p.ws.View(0, 2).summary == summary);
    CHECK(report.connections.at(0).notification_count == 20);

    // Disconnect, then a new test once nothing runs: a new live input.
    p.host.Disconnect(p.now += 1);
    p.Serve();
    CHECK_FALSE(p.host.Active());
    p.authed = false;
    p.polls.clear();
    REQUIRE(p.host.Connect(Options(first_url), p.now += 1) == "");
    index.Clear();  // a new input: the page resets its index on the new generation
    p.Serve();
    CHECK(p.ws.Generation() == generation + 1);
    REQUIRE(p.ws.GetReport().connections.size() == 1);
    CHECK(p.ws.GetReport().connections[0].verdict == Verdict::Healthy);
  }
}

TEST_CASE("live host: loading a file while live stops the session first; a wrong URL starts nothing") {
  Page p;
  CHECK(p.host.Connect(Options("https://fin1.example.com/desktop/"), p.now) != "");
  CHECK(p.ios.empty());
  CHECK_FALSE(p.ws.Loaded());
  REQUIRE(p.host.Connect(Options("ws://127.0.0.1:5280/ws/"), p.now) == "");
  p.Serve();
  p.host.Stop(p.now += 1);
  CHECK(p.host.Driver() == nullptr);
  CHECK(Told(p.ios[0], "<close"));
  p.ws.Load("SENT: <open xmlns='urn:ietf:params:xml:ns:xmpp-framing' to='finesse.lab' version='1.0'/>\n", "t.txt");
  while (p.ws.Busy()) p.ws.Step(1 << 20, 1000);
  CHECK_FALSE(p.ws.IsLive());
  CHECK(p.ws.GetCapture().format != "live");
  p.host.Tick(p.now += 1);  // nothing left to tick
}
