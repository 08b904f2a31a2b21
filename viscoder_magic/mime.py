"""MIME types shared with the JupyterLab front end.

``labextension/src/index.ts`` declares the same string; ``tests/test_mime.py``
checks that both sides agree, because a mismatch silently drops the rich view.
"""

MIME_TYPE = "application/vnd.viscoder.run+json"
BUNDLE_VERSION = 1
