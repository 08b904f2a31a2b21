"""Hostile programs for the safety tests: each must be contained by the guard.

``expect`` says what containment looks like: "blocked" (the attempt failed with a
contained error such as ``BlockedAction`` or ``ExecutionTimeout``), "isolated" (the
program may even run, but the user's objects and files stay as they were), or
"interrupted" (the program raised ``KeyboardInterrupt`` itself; the cell stops
cleanly). Programs run with the kernel's working folder holding ``sentinel.txt``.
"""

from __future__ import annotations

from typing import NamedTuple


class Case(NamedTuple):
    name: str
    category: str
    code: str
    expect: str = "blocked"


CONTAINED_ERRORS = {"BlockedAction", "ExecutionTimeout", "MemoryError", "SystemExit"}

CASES: tuple[Case, ...] = (
    # -- files -------------------------------------------------------------------------
    Case("open_write", "files", "open('sentinel.txt', 'w').write('pwned')"),
    Case("open_append", "files", "open('sentinel.txt', 'a').write('pwned')"),
    Case("open_new", "files", "with open('new.txt', 'x') as f:\n    f.write('x')"),
    Case("os_remove", "files", "import os\nos.remove('sentinel.txt')"),
    Case("os_open_flags", "files", "import os\nfd = os.open('new.txt', os.O_CREAT | os.O_WRONLY)"),
    Case("pathlib_unlink", "files", "from pathlib import Path\nPath('sentinel.txt').unlink()"),
    Case("pathlib_write", "files", "from pathlib import Path\nPath('new.txt').write_text('x')"),
    Case("pathlib_touch", "files", "import pathlib\npathlib.Path('new.txt').touch()"),
    Case("shutil_rmtree", "files", "import shutil\nshutil.rmtree('.')"),
    Case("shutil_move", "files", "import shutil\nshutil.move('sentinel.txt', 'moved.txt')"),
    Case("os_rename", "files", "import os\nos.rename('sentinel.txt', 'moved.txt')"),
    Case("os_mkdir", "files", "import os\nos.makedirs('newdir/sub')"),
    Case("os_truncate", "files", "import os\nos.truncate('sentinel.txt', 0)"),
    Case("tempfile", "files", "import tempfile\nf = tempfile.NamedTemporaryFile(dir='.', delete=False)"),
    Case("savefig", "files", "import matplotlib.pyplot as plt\nplt.plot([1, 2])\nplt.savefig('plot.png')"),
    Case("to_csv", "files", "df.to_csv('out.csv')"),
    Case(
        "plotly_write_html",
        "files",
        "import plotly.express as px\nfig = px.bar(df, x='city', y='sales')\nfig.write_html('fig.html')",
    ),
    Case("getattr_obfuscated", "files", "getattr(__import__('o' + 's'), 're' + 'move')('sentinel.txt')"),
    Case("builtins_dict", "files", "__builtins__['op' + 'en']('new.txt', 'w')"),
    Case("exec_string", "files", "exec('import os\\nos.remove(\"sentinel.txt\")')"),
    Case(
        "base64_exec",
        "files",
        "import base64\nexec(base64.b64decode('aW1wb3J0IG9zOyBvcy5yZW1vdmUoJ3NlbnRpbmVsLnR4dCcp'))",
    ),
    Case(
        "swallowed_write",
        "files",
        "try:\n    open('new.txt', 'w')\nexcept OSError:\n    pass\nimport matplotlib.pyplot as plt\n"
        "plt.plot([1, 2])",
    ),
    # -- processes ---------------------------------------------------------------------
    Case("os_system", "process", "import os\nos.system('touch pwned.txt')"),
    Case("subprocess_run", "process", "import subprocess\nsubprocess.run(['touch', 'pwned.txt'])"),
    Case("os_popen", "process", "import os\nos.popen('touch pwned.txt').read()"),
    Case("os_execv", "process", "import os\nos.execv('/bin/true', ['true'])"),
    Case("os_fork", "process", "import os\npid = os.fork()"),
    Case("pty_spawn", "process", "import pty\npty.spawn('true')"),
    Case(
        "multiprocessing",
        "process",
        "import multiprocessing\np = multiprocessing.Process(target=print)\np.start()",
    ),
    Case(
        "obfuscated_system",
        "process",
        "m = __import__('o' + 's')\ngetattr(m, 'sys' + 'tem')('touch pwned.txt')",
    ),
    # -- network -----------------------------------------------------------------------
    Case("socket_connect", "network", "import socket\nsocket.create_connection(('127.0.0.1', 9), timeout=1)"),
    Case("socket_new", "network", "import socket\ns = socket.socket()"),
    Case("urlopen", "network", "import urllib.request\nurllib.request.urlopen('http://127.0.0.1:9/')"),
    Case(
        "http_client",
        "network",
        "import http.client\nhttp.client.HTTPConnection('127.0.0.1', 9, timeout=1).request('GET', '/')",
    ),
    # -- native code ---------------------------------------------------------------------
    Case("ctypes_system", "native", "import ctypes\nctypes.CDLL(None).system(b'touch pwned.txt')"),
    Case("ctypes_segfault", "native", "import ctypes\nctypes.string_at(0)"),
    # -- ending, hanging or crashing the kernel ------------------------------------------
    Case("os_exit", "kernel", "import os\nos._exit(0)"),
    Case("posix_exit", "kernel", "import posix\nposix._exit(0)"),
    Case("sys_exit", "kernel", "import sys\nsys.exit(0)"),
    Case("exit_builtin", "kernel", "exit()"),
    Case("quit_builtin", "kernel", "quit()"),
    Case("os_kill", "kernel", "import os, signal\nos.kill(os.getpid(), signal.SIGKILL)"),
    Case("os_abort", "kernel", "import os\nos.abort()"),
    Case("raise_signal", "kernel", "import signal\nsignal.raise_signal(signal.SIGTERM)"),
    Case(
        "ignore_alarm",
        "kernel",
        "import signal\nsignal.signal(signal.SIGALRM, signal.SIG_IGN)\nwhile True:\n    pass",
    ),
    Case(
        "cancel_timer",
        "kernel",
        "import signal\nsignal.setitimer(signal.ITIMER_REAL, 0)\nwhile True:\n    pass",
    ),
    Case("faulthandler", "kernel", "import faulthandler\nfaulthandler._sigsegv()"),
    Case(
        "recursion_limit",
        "kernel",
        "import sys\nsys.setrecursionlimit(10**7)\ndef f(n):\n    return f(n + 1)\nf(0)",
    ),
    Case("close_fds", "kernel", "import os\nos.closerange(3, 65536)"),
    Case(
        "thread_escape",
        "kernel",
        "import threading, os\nthreading.Thread(target=lambda: os.remove('sentinel.txt')).start()",
    ),
    Case("busy_loop", "kernel", "while True:\n    pass"),
    Case("long_sleep", "kernel", "import time\ntime.sleep(10**9)"),
    Case(
        "swallow_timeout",
        "kernel",
        "import time\nwhile True:\n    try:\n        time.sleep(100)\n"
        "    except BaseException:\n        pass",
    ),
    Case("huge_alloc", "kernel", "x = bytearray(10**13)"),
    Case("huge_list", "kernel", "x = [0] * (10**11)"),
    Case("get_ipython", "kernel", "get_ipython().ask_exit()"),
    Case("ipython_module", "kernel", "import IPython\nIPython.get_ipython().ask_exit()"),
    Case("self_interrupt", "kernel", "raise KeyboardInterrupt", expect="interrupted"),
    # -- changing the user's objects -----------------------------------------------------
    Case(
        "inplace_frame",
        "mutation",
        "df.drop(columns=['sales'], inplace=True)\ndf['city'] = 'x'\ndf.iloc[0, 0] = None\n"
        "df.index.name = 'hacked'",
        expect="isolated",
    ),
    Case(
        "mutate_containers",
        "mutation",
        "lst.append(99)\ndct.clear()\narr[:] = 0\nimport matplotlib.pyplot as plt\nplt.plot(arr)",
        expect="isolated",
    ),
    Case("rebind_globals", "mutation", "globals()['df'] = None\nlst = None", expect="isolated"),
    Case(
        "main_module",
        "mutation",
        "import __main__\n__main__.df.drop(columns=['sales'], inplace=True)",
        expect="isolated",
    ),
    Case(
        "frame_walk",
        "mutation",
        "import sys\nsys._getframe(1).f_locals['frames']['df'].drop(columns=['sales'], inplace=True)",
    ),
    Case(
        "traceback_walk",
        "mutation",
        "try:\n    1 / 0\nexcept ZeroDivisionError as e:\n    f = e.__traceback__.tb_frame.f_back\n"
        "    f.f_locals['user_ns']['lst'].append(1)",
    ),
    Case(
        "gc_walk",
        "mutation",
        "import gc\nfor o in gc.get_objects():\n    if isinstance(o, list) and o[:3] == [1, 2, 3]:\n"
        "        o.append(99)",
    ),
    Case(
        "builtins_tamper",
        "mutation",
        "import builtins\nbuiltins.len = None\nbuiltins.print = None",
        expect="isolated",
    ),
    Case(
        "stderr_tamper",
        "mutation",
        "import sys\nsys.stderr = None\nsys.displayhook = None",
        expect="isolated",
    ),
)
