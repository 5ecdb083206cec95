#!/usr/bin/env python3
"""Boot server for capture.sh: serves the capture script and answers with
chosen failures so iPXE prints its error codes. 127.0.0.1 only.

  /boot.ipxe            the script (from the file given as argv[2])
  /status/<code>        that HTTP status with a short body
  /truncated            Content-Length 100000, 10 bytes sent, then close
  /reset                closes the connection before any response
anything else           404
"""
import http.server
import socket
import sys


class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        if self.path == "/boot.ipxe":
            self._send(200, open(sys.argv[2], "rb").read())
        elif self.path.startswith("/status/"):
            self._send(int(self.path.split("/")[2]), b"status\n")
        elif self.path == "/truncated":
            self.send_response(200)
            self.send_header("Content-Length", "100000")
            self.end_headers()
            self.wfile.write(b"0123456789")
            self.wfile.flush()
            self.close_connection = True
        elif self.path == "/reset":
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                                       b"\x01\x00\x00\x00\x00\x00\x00\x00")
            self.close_connection = True
        else:
            self._send(404, b"not found\n")

    def _send(self, code, body):
        self.send_response(code)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


http.server.ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Handler).serve_forever()
