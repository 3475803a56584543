# The trivial leader endpoint for the benchmark: answers 200 on GET /primary, like Patroni on the
# leader. Prints its port once listening. Usage: python3 fake_patroni.py
import http.server


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self):
        body = b'{"state": "running", "role": "primary"}' if self.path == "/primary" else b"{}"
        self.send_response(200 if self.path == "/primary" else 404)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
print(server.server_address[1], flush=True)
server.serve_forever()
