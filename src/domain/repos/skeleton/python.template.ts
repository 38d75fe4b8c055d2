/**
 * Python 3.11+, standard library only: http.server serves GET /healthz, unittest tests it (the
 * pipeline runs the same tests with pytest for JUnit XML). Runs without a network: no install
 * needed for `python -m unittest`.
 */
import { pythonPackage } from './code-identifiers';
import type { StackSkeleton, TemplateInput } from './skeleton.types';
import { tomlString } from './text-escaping';

export function pythonSkeleton({ request, names }: TemplateInput): StackSkeleton {
  const pkg = pythonPackage(names.service);
  return {
    files: [
      { path: 'pyproject.toml', content: pyproject(names.service, request.description) },
      { path: `src/${pkg}/__init__.py`, content: '"""The service package."""\n' },
      { path: `src/${pkg}/app.py`, content: APP },
      { path: 'tests/__init__.py', content: TESTS_INIT },
      { path: 'tests/test_app.py', content: testApp(pkg) },
      { path: 'Dockerfile', content: dockerfile(pkg) },
    ],
    commands: [
      { label: 'Test', command: 'python -m unittest' },
      { label: 'Run (http://localhost:8000/healthz)', command: `PYTHONPATH=src python -m ${pkg}.app` },
      { label: 'Container', command: 'docker build -t app . && docker run -p 8000:8000 app' },
    ],
    gitignore: ['__pycache__/', '*.py[cod]', '.venv/', 'venv/', 'build/', 'dist/', '*.egg-info/', '.pytest_cache/', 'test-results/', '.coverage', '.env'],
    dockerignore: ['__pycache__/', '.venv/', 'venv/', '.pytest_cache/', 'test-results/', '.git/', '.env'],
    tags: ['python'],
  };
}

function pyproject(name: string, description: string): string {
  return `[build-system]
requires = ["setuptools>=69"]
build-backend = "setuptools.build_meta"

[project]
name = ${tomlString(name)}
version = "0.1.0"
description = ${tomlString(description)}
readme = "README.md"
requires-python = ">=3.11"
dependencies = []

[project.optional-dependencies]
test = ["pytest>=8"]

[tool.setuptools.packages.find]
where = ["src"]

[tool.pytest.ini_options]
testpaths = ["tests"]
pythonpath = ["src"]
`;
}

const APP = `"""HTTP entry point on the standard library alone, so the service starts with nothing installed."""
import json
import logging
import os
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

log = logging.getLogger(__name__)


class Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        if self.path.split("?", 1)[0] == "/healthz":
            self._send(200, {"status": "ok"})
        else:
            self._send(404, {"error": "not found"})

    def _send(self, status, body):
        data = json.dumps(body).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format, *args):
        log.info(format, *args)


def create_server(host="0.0.0.0", port=8000):
    return ThreadingHTTPServer((host, port), Handler)


def main():
    logging.basicConfig(level=logging.INFO)
    port = int(os.environ.get("PORT", "8000"))
    server = create_server(port=port)
    log.info("listening on port %d", port)
    server.serve_forever()


if __name__ == "__main__":
    main()
`;

const TESTS_INIT = `"""Lets \`python -m unittest\` import the package from src/ without installing it."""
import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent / "src"))
`;

const testApp = (pkg: string) => `import json
import threading
import unittest
import urllib.error
import urllib.request

from ${pkg}.app import create_server

# Talk to the local server directly, whatever proxy the environment configures.
OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


class HealthzTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = create_server("127.0.0.1", 0)
        threading.Thread(target=cls.server.serve_forever, daemon=True).start()
        cls.base = "http://127.0.0.1:%d" % cls.server.server_address[1]

    @classmethod
    def tearDownClass(cls):
        cls.server.shutdown()
        cls.server.server_close()

    def test_healthz_answers_ok(self):
        with OPENER.open(self.base + "/healthz") as response:
            self.assertEqual(response.status, 200)
            self.assertEqual(json.load(response), {"status": "ok"})

    def test_unknown_path_is_404(self):
        with self.assertRaises(urllib.error.HTTPError) as caught:
            OPENER.open(self.base + "/nope")
        caught.exception.close()
        self.assertEqual(caught.exception.code, 404)


if __name__ == "__main__":
    unittest.main()
`;

// Exec-form arguments are JSON arrays: JSON.stringify writes them.
const dockerfile = (pkg: string) => `FROM python:3.12-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
WORKDIR /app
COPY pyproject.toml README.md ./
COPY src ./src
RUN pip install --no-cache-dir .
USER 10001
EXPOSE 8000
CMD ${JSON.stringify(['python', '-m', `${pkg}.app`])}
`;
