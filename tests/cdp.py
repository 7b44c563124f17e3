"""A minimal Chrome DevTools Protocol client over ``--remote-debugging-pipe`` (standard library only).

``tests/test_explorer.py`` and ``tests/test_quiz_page.py`` drive headless Chromium with it: open a
page, evaluate script, send real key events, record every request the page makes, take screenshots.
Chromium reads commands from file descriptor 3 and writes replies and events to descriptor 4, each
message JSON ended by a NUL byte.
"""

from __future__ import annotations

import base64
import itertools
import json
import os
import queue
import shutil
import subprocess
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


class CDPError(RuntimeError):
    """A command failed, timed out, or the browser went away."""


class Browser:
    """One headless Chromium and one page (tab) in it.

    Parameters
    ----------
    profile : Path
        A fresh user-data folder.
    width, height : int
        The page's viewport, in CSS pixels (device scale factor 1).
    args : sequence of str
        More Chromium switches (``--allow-file-access-from-files``: pages opened from disk may
        script each other's frames, as pages of one site do).
    """

    def __init__(self, profile: Path, width: int = 1200, height: int = 900, args: Sequence[str] = ()) -> None:
        if CHROMIUM is None:
            raise CDPError("no chromium on PATH")
        to_chrome_r, self._to_chrome = os.pipe()
        self._from_chrome, from_chrome_w = os.pipe()

        def fds() -> None:  # in the child: the pipe ends become descriptors 3 and 4, kept open by exec
            a, b = os.dup(to_chrome_r), os.dup(from_chrome_w)  # above 4, whatever the pipes' numbers
            os.dup2(a, 3)
            os.dup2(b, 4)
            os.set_inheritable(3, True)
            os.set_inheritable(4, True)

        self.proc = subprocess.Popen(
            [
                CHROMIUM,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-extensions",
                "--no-first-run",
                "--no-default-browser-check",
                "--autoplay-policy=no-user-gesture-required",
                "--mute-audio",
                f"--user-data-dir={profile}",
                "--remote-debugging-pipe",
                *args,
                "about:blank",
            ],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            preexec_fn=fds,  # the only way to place the pipes at descriptors 3 and 4
            close_fds=False,  # closing would happen after preexec_fn; Python's own descriptors are close-on-exec
        )
        os.close(to_chrome_r)
        os.close(from_chrome_w)
        self._ids = itertools.count(1)
        self._replies: dict[int, queue.Queue[dict[str, Any]]] = {}
        self._lock = threading.Lock()
        self.events: list[dict[str, Any]] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        target = self.call("Target.createTarget", url="about:blank")["targetId"]
        self.session = self.call("Target.attachToTarget", targetId=target, flatten=True)["sessionId"]
        self.send("Page.enable")
        self.send("Runtime.enable")
        self.send("Network.enable")
        self.send("Emulation.setDeviceMetricsOverride", width=width, height=height, deviceScaleFactor=1, mobile=False)

    # --- the wire ----------------------------------------------------------------------------------

    def _read(self) -> None:
        buf = b""
        while True:
            try:
                chunk = os.read(self._from_chrome, 1 << 16)
            except OSError:
                chunk = b""
            if not chunk:
                for q in list(self._replies.values()):
                    q.put({"error": {"message": "browser closed"}})
                return
            buf += chunk
            while b"\0" in buf:
                raw, buf = buf.split(b"\0", 1)
                msg = json.loads(raw)
                if "id" in msg:
                    with self._lock:
                        reply = self._replies.get(msg["id"])
                    if reply is not None:
                        reply.put(msg)
                else:
                    self.events.append(msg)

    def call(self, method: str, session: str | None = None, timeout: float = 60, **params: Any) -> dict[str, Any]:
        """Send a command (to the browser, or to ``session``) and return its result."""
        i = next(self._ids)
        q: queue.Queue[dict[str, Any]] = queue.Queue()
        with self._lock:
            self._replies[i] = q
        msg: dict[str, Any] = {"id": i, "method": method, "params": params}
        if session:
            msg["sessionId"] = session
        os.write(self._to_chrome, json.dumps(msg).encode() + b"\0")
        try:
            reply = q.get(timeout=timeout)
        except queue.Empty:
            raise CDPError(f"{method}: no reply in {timeout} s") from None
        finally:
            with self._lock:
                self._replies.pop(i, None)
        if "error" in reply:
            raise CDPError(f"{method}: {reply['error'].get('message')}")
        return reply.get("result", {})

    def send(self, method: str, **params: Any) -> dict[str, Any]:
        """A command to the page."""
        return self.call(method, session=self.session, **params)

    # --- the page ----------------------------------------------------------------------------------

    def open(self, url: str, *, scripts: bool = True, ready: str | None = None, timeout: float = 60) -> None:
        """Navigate to ``url`` and wait until ``ready`` (an expression) is true, or the load event."""
        self.send("Emulation.setScriptExecutionDisabled", value=not scripts)
        self.events.clear()
        self.send("Page.navigate", url=url)
        deadline = time.monotonic() + timeout
        while True:
            if ready is not None:
                if self.eval(ready, await_promise=False):
                    return
            elif any(e.get("method") == "Page.loadEventFired" for e in list(self.events)):
                return
            if time.monotonic() > deadline:
                raise CDPError(f"{url}: not ready in {timeout} s ({ready or 'load event'})")
            time.sleep(0.05)

    def eval(self, expression: str, await_promise: bool = True, timeout: float = 60) -> Any:
        """The value of ``expression`` in the page (JSON-serialisable; promises awaited)."""
        r = self.send(
            "Runtime.evaluate",
            expression=expression,
            returnByValue=True,
            awaitPromise=await_promise,
            timeout=timeout * 1000,
        )
        if "exceptionDetails" in r:
            d = r["exceptionDetails"]
            raise CDPError(f"{expression[:80]!r}: {d.get('exception', {}).get('description') or d.get('text')}")
        return r["result"].get("value")

    def requests(self) -> list[str]:
        """The URLs of every request the page made since it was opened."""
        return [
            e["params"]["request"]["url"] for e in list(self.events) if e.get("method") == "Network.requestWillBeSent"
        ]

    def key(self, key: str, code: str, key_code: int, *, text: str | None = None, shift: bool = False) -> None:
        """Press and release one key, as the keyboard would (to the focused element).

        ``text`` is what the key types when it is not ``key`` itself: ``"\r"`` for Enter, which a
        button or a form acts on only when it types (a keypress), as a real keyboard's does.
        ``shift`` holds Shift down meanwhile (Shift+Tab).
        """
        typed = {"text": text} if text is not None else {"text": key} if len(key) == 1 else {}
        mods = {"modifiers": 8} if shift else {}  # the protocol's bit for Shift
        for kind in ("keyDown" if typed else "rawKeyDown", "keyUp"):
            self.send(
                "Input.dispatchKeyEvent",
                type=kind,
                key=key,
                code=code,
                windowsVirtualKeyCode=key_code,
                nativeVirtualKeyCode=key_code,
                **mods,
                **(typed if kind == "keyDown" else {}),
            )

    def type(self, text: str) -> None:
        """Type ``text`` into the focused element, as an input method would (one input event)."""
        self.send("Input.insertText", text=text)

    def screenshot(self, path: Path, full_page: bool = True) -> Path:
        """A PNG of the page (the whole page by default)."""
        params: dict[str, Any] = {"format": "png"}
        if full_page:
            params["captureBeyondViewport"] = True
            m = self.send("Page.getLayoutMetrics")["cssContentSize"]
            params["clip"] = {"x": 0, "y": 0, "width": m["width"], "height": m["height"], "scale": 1}
        path.write_bytes(base64.b64decode(self.send("Page.captureScreenshot", **params)["data"]))
        return path

    def close(self) -> None:
        """Quit the browser."""
        try:
            self.call("Browser.close", timeout=10)
        except CDPError:
            pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        for fd in (self._to_chrome, self._from_chrome):
            try:
                os.close(fd)
            except OSError:
                pass
