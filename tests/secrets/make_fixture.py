#!/usr/bin/env python3
"""Writes all-secrets.har and all-secrets.log: a Chrome-shaped HAR (made by this project, not recorded) holding every
kind of secret the inspector must mask, each a distinct marker string, and secrets.txt listing
them, one per line, for the audit tests (tests/test_secrets.cpp, tests/browser/secrets.test.mjs)."""
import base64, json, os

HERE = os.path.dirname(os.path.abspath(__file__))
PASSWORD = "Pl41nPassw0rd!"
SCRAM_PROOF = base64.b64encode(b"scram-client-proof-SECRET-1").decode()
BASIC = base64.b64encode(b"1001:B4sicPassw0rd").decode()
JWT = ("eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9."
       + base64.urlsafe_b64encode(b'{"sub":"1001","secret":"JwtPayloadSecret"}').decode().rstrip("=")
       + ".SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c")
COOKIE = "C00kieS3cretValue"
SET_COOKIE = "S3tC00kieS3cret"
URL_PASSWORD = "Q3ryPassw0rd"
JWT_ODD = JWT.replace("SflKx", "OddKx")
REST_BASIC = base64.b64encode(b"1001:R3stBasicPassw0rd").decode()
REST_XML_PASSWORD = "R3stXmlPassw0rd"
REST_FORM_PASSWORD = "R3stFormPassw0rd"
REST_JSON_PASSWORD = "R3stJsonPassw0rd"
REST_TOKEN = "R3stAccessT0ken"

plain = base64.b64encode(b"1001@finesse.lab\x001001\x00" + PASSWORD.encode()).decode()
client_final = base64.b64encode(("c=biws,r=abcNONCEdef,p=" + SCRAM_PROOF).encode()).decode()
SASL = "urn:ietf:params:xml:ns:xmpp-sasl"
FR = "urn:ietf:params:xml:ns:xmpp-framing"

def msg(t, kind, data):
    return {"type": kind, "time": 1714557600.0 + t, "opcode": 1, "data": data}

def ws_entry(started, messages):
    return {
        "startedDateTime": started, "time": 12.0, "_resourceType": "websocket",
        "request": {"method": "GET", "httpVersion": "HTTP/1.1",
                    "url": f"wss://finesse.lab:8445/ws/?password={URL_PASSWORD}&t={JWT_ODD}",
                    "headers": [{"name": "Authorization", "value": "Basic " + BASIC},
                                {"name": "Cookie", "value": f"JSESSIONID={COOKIE}; lang=en"},
                                {"name": "Sec-WebSocket-Protocol", "value": "xmpp"}],
                    "cookies": [{"name": "JSESSIONID", "value": COOKIE}],
                    "queryString": [{"name": "password", "value": URL_PASSWORD}, {"name": "t", "value": JWT_ODD}]},
        "response": {"status": 101, "statusText": "Switching Protocols",
                     "headers": [{"name": "Set-Cookie", "value": f"JSESSIONID={SET_COOKIE}; Path=/; Secure"},
                                 {"name": "Sec-WebSocket-Protocol", "value": "xmpp"}],
                     "cookies": [{"name": "JSESSIONID", "value": SET_COOKIE}], "content": {"size": 0}},
        "_webSocketMessages": messages,
    }

plain_login = [
    msg(0.00, "send", f"<open xmlns='{FR}' to='finesse.lab' version='1.0'/>"),
    msg(0.01, "receive", f"<open xmlns='{FR}' from='finesse.lab' id='a' version='1.0'/>"),
    msg(0.02, "receive", f"<stream:features xmlns:stream='http://etherx.jabber.org/streams'><mechanisms xmlns='{SASL}'><mechanism>PLAIN</mechanism><mechanism>SCRAM-SHA-1</mechanism></mechanisms></stream:features>"),
    msg(0.03, "send", f"<auth xmlns='{SASL}' mechanism='PLAIN'>{plain}</auth>"),
    msg(0.04, "receive", f"<success xmlns='{SASL}'/>"),
    msg(0.05, "send", f"<message to='x@finesse.lab'><body>token {JWT}</body></message>"),
]
scram_login = [
    msg(1.00, "send", f"<open xmlns='{FR}' to='finesse.lab' version='1.0'/>"),
    msg(1.01, "receive", f"<stream:features xmlns:stream='http://etherx.jabber.org/streams'><mechanisms xmlns='{SASL}'><mechanism>SCRAM-SHA-1</mechanism></mechanisms></stream:features>"),
    msg(1.02, "send", f"<auth xmlns='{SASL}' mechanism='SCRAM-SHA-1'>{base64.b64encode(b'n,,n=1001,r=abcNONCE').decode()}</auth>"),
    msg(1.03, "receive", f"<challenge xmlns='{SASL}'>{base64.b64encode(b'r=abcNONCEdef,s=c2FsdA==,i=4096').decode()}</challenge>"),
    msg(1.04, "send", f"<response xmlns='{SASL}'>{client_final}</response>"),
    msg(1.05, "receive", f"<success xmlns='{SASL}'/>"),
]
def rest_entry(started, method, url, status, headers, body=None, response="", mime="application/xml"):
    e = {"startedDateTime": started, "time": 8.0, "_resourceType": "xhr",
         "request": {"method": method, "httpVersion": "http/2.0", "url": url, "headers": headers,
                     "queryString": [], "cookies": []},
         "response": {"status": status, "statusText": "", "httpVersion": "http/2.0", "headers": [],
                      "content": {"size": len(response), "mimeType": mime, "text": response}}}
    if body is not None:
        e["request"]["postData"] = {"mimeType": mime, "text": body}
    return e

# Finesse REST calls beside the socket (HTTP/2: lower-case header names), each carrying a secret
# where a desktop or an SSO login can put one.
rest = [
    rest_entry("2024-05-01T09:59:59.000Z", "GET", "https://finesse.lab:8445/finesse/api/User/1001?nocache=1", 401,
               [{"name": "authorization", "value": "Basic " + REST_BASIC}],
               response="<ApiErrors><ApiError><ErrorType>Authentication Failure</ErrorType></ApiError></ApiErrors>"),
    rest_entry("2024-05-01T09:59:59.500Z", "PUT", "https://finesse.lab:8445/finesse/api/User/1001", 202,
               [{"name": "authorization", "value": "Bearer " + JWT}, {"name": "requestid", "value": "rq-1"}],
               body=f"<User><state>LOGIN</state><extension>1001001</extension><password>{REST_XML_PASSWORD}</password></User>"),
    rest_entry("2024-05-01T09:59:59.600Z", "POST", "https://finesse.lab:8445/finesse/api/Login", 200,
               [{"name": "content-type", "value": "application/x-www-form-urlencoded"}],
               body=f"j_username=1001&j_password={REST_FORM_PASSWORD}", mime="application/x-www-form-urlencoded"),
    rest_entry("2024-05-01T09:59:59.700Z", "POST", "https://finesse.lab:8445/finesse/api/AuthToken", 200, [],
               body=f'{{"username":"1001","password":"{REST_JSON_PASSWORD}"}}',
               response=f'{{"access_token":"{REST_TOKEN}","token_type":"Bearer"}}', mime="application/json"),
]

har = {"log": {"version": "1.2", "creator": {"name": "WebInspector", "version": "537.36"}, "pages": [],
               "comment": "made by Finesse Inspector's tests/secrets/make_fixture.py: every secret is a marker",
               "entries": rest + [ws_entry("2024-05-01T10:00:00.000Z", plain_login),
                           ws_entry("2024-05-01T10:00:01.000Z", scram_login)]}}
with open(os.path.join(HERE, "all-secrets.har"), "w") as f:
    json.dump(har, f, indent=1)
# A Finesse desktop client log (finesse.js 10.5 record format) with secrets where a desktop or a
# proxy in front of it could log them: Basic credentials in a logged header, passwords in POST_DATA.
LOG_BASIC = base64.b64encode(b"1001:L0gBasicPassw0rd").decode()
LOG_XML_PASSWORD = "L0gXmlPassw0rd"
LOG_FORM_PASSWORD = "L0gFormPassw0rd"
def rec(t, comp, msg):
    return f"2024-05-01T10:00:{t} +02:00: Ab12Cd: finesse.lab: May 01 2024 08:00:{t} +0000: {comp} : {msg}"
log = "\n".join([
    "Mozilla/5.0 (X11; Linux x86_64) Chrome/120.0",
    rec("00.100", "gadget1", "[ClientServices] MasterPublisher._connInfoHandler() - Connection status: connected"),
    rec("01.000", "gadget1", f"[ClientServices] Request headers: Authorization: Basic {LOG_BASIC}"),
    rec("02.000", "gadget1", "[ClientServices] User: requestId='aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee', Making REST request: method=PUT, url='/finesse/api/User/1001'"),
    rec("02.001", "gadget1", f"[ClientServices] User: requestId='aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee', POST_DATA='<User><state>LOGIN</state><password>{LOG_XML_PASSWORD}</password></User>'"),
    rec("03.000", "gadget1", "[ClientServices] Login: requestId='ffffffff-bbbb-cccc-dddd-eeeeeeeeeeee', Making REST request: method=POST, url='/finesse/api/Login'"),
    rec("03.001", "gadget1", f"[ClientServices] Login: requestId='ffffffff-bbbb-cccc-dddd-eeeeeeeeeeee', POST_DATA='j_username=1001&j_password={LOG_FORM_PASSWORD}'"),
    rec("04.000", "gadget1", f"[ClientServices] token {JWT}"),
]) + "\n"
with open(os.path.join(HERE, "all-secrets.log"), "w") as f:
    f.write(log)

secrets = [PASSWORD, plain, SCRAM_PROOF, client_final, BASIC, "JwtPayloadSecret", JWT.split(".")[1], JWT.split(".")[2],
           JWT_ODD.split(".")[2], COOKIE, SET_COOKIE, URL_PASSWORD, REST_BASIC, REST_XML_PASSWORD, REST_FORM_PASSWORD,
           REST_JSON_PASSWORD, REST_TOKEN, LOG_BASIC, LOG_XML_PASSWORD, LOG_FORM_PASSWORD]
with open(os.path.join(HERE, "secrets.txt"), "w") as f:
    f.write("\n".join(secrets) + "\n")
