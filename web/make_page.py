#!/usr/bin/env python3
"""Writes the page from web/index.html.in: the static folder's index.html (external script), or
one self-contained HTML file with the single-file build inlined (works from file://). The
Content-Security-Policy allows no inline script except the hashed one, no eval, and network only
to ws:, wss: and the page's own origin."""
import base64, hashlib, sys

STYLE = ("html,body{margin:0;height:100%;overflow:hidden;background:#1a1c21}"
         "canvas{position:fixed;left:0;top:0;width:100vw;height:100vh;display:block;outline:none}")

def sha256(text):
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode() + "'"

def main():
    template, mode, out = sys.argv[1], sys.argv[2], sys.argv[3]
    html = open(template, encoding="utf-8").read()
    style_src = "style-src " + sha256(STYLE)
    if mode == "folder":
        script = '<script src="finesse-inspector.js"></script>'
        script_src = "script-src 'self' 'wasm-unsafe-eval'"
    else:
        js = open(sys.argv[4], encoding="utf-8").read()
        # A literal "</script" inside the code would end the element early.
        js = js.replace("</script", "<\\/script")
        script = "<script>" + js + "</script>"
        script_src = "script-src " + sha256(js) + " 'wasm-unsafe-eval'"
    # The single-file loader fetches its own inlined wasm from a data: URI (not the network).
    # Live mode reaches the server the user names: WebSocket (ws:, wss:) or BOSH (http:, https:).
    connect_src = "connect-src 'self' ws: wss: http: https:" + (" data:" if mode != "folder" else "")
    csp = "; ".join(["default-src 'none'", script_src, style_src, connect_src,
                     "img-src 'self' data: blob:", "base-uri 'none'", "form-action 'none'"])
    html = html.replace("@CSP@", csp).replace("@STYLE@", STYLE).replace("@SCRIPT@", script)
    open(out, "w", encoding="utf-8").write(html)

if __name__ == "__main__":
    main()
