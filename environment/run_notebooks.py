"""Execute notebooks headless with Jupyter's own client (nbclient) and the tslab kernel.

    python environment/run_notebooks.py [--mode quick|full] [--out DIR] [--cell-timeout S]
                                        [--notebook-timeout S] [--report FILE] NOTEBOOK...

For each notebook, in order: start a fresh tslab kernel in the notebook's folder (tslab compiles with
rootDir = that folder), run every code cell with a per-cell timeout and a whole-notebook deadline, write the
executed copy to OUT (also when a cell fails, for inspection), shut the kernel down in any case, and print one
summary line. Environment passed to the kernel: WORKBOOK_MODE, WORKBOOK_NOTEBOOK (the notebook's stem, used to
name exported figures), WORKBOOK_ROOT.

tslab specifics handled here (measured with tslab 1.0.22): its error replies carry no ename/traceback (the
message is only in the cell's stderr stream), it aborts following cells after an error, and it prints the last
expression's value as stdout. So a failure is reported as notebook, cell number, the offending source line
(from the compiler's "L:C - message" or the stack's "<cell>:L" position when present) and the cell's stderr.

A line "RESULTS {json}" printed by a notebook's Results cell is collected into the report.
Exit code: 0 if every notebook ran, 1 otherwise; 128 + the signal's number when SIGTERM or SIGHUP stops the run (the
running notebook's kernel is killed first, so it never outlives the runner).
"""
import argparse
import json
import os
import re
import signal
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient


class NotebookTimeout(Exception):
    pass


def _alarm(signum, frame):
    raise NotebookTimeout()


class Terminated(BaseException):
    """SIGTERM or SIGHUP reached the runner: stop (a BaseException, so no cell-level handler swallows it)."""

    def __init__(self, signum):
        super().__init__(signum)
        self.signum = signum


def _kill_kernel(client):
    """Kill the client's kernel process (and its process group when it has its own) at once: a kernel busy in a cell
    cannot answer a shutdown request, and without this it would outlive the runner and keep computing."""
    prov = getattr(getattr(client, "km", None), "provisioner", None)
    pid = getattr(prov, "pid", None)
    if not pid:
        return
    try:
        pgid = os.getpgid(pid)
        if pgid != os.getpgid(0):
            os.killpg(pgid, signal.SIGKILL)
        else:
            os.kill(pid, signal.SIGKILL)
    except OSError:
        pass  # already gone


def _on_terminate(client):
    """A SIGTERM/SIGHUP handler for the run of `client`'s notebook: kill its kernel, then raise Terminated."""
    def handler(signum, frame):
        _kill_kernel(client)
        raise Terminated(signum)
    return handler


def cell_text(cell, name):
    """Concatenate the cell's stream outputs of the given name, plus error outputs for stderr."""
    parts = []
    for out in cell.get("outputs", []):
        if out.get("output_type") == "stream" and out.get("name") == name:
            parts.append(out.get("text", ""))
        elif name == "stderr" and out.get("output_type") == "error":
            parts.append(f"{out.get('ename', '')}: {out.get('evalue', '')}\n" + "\n".join(out.get("traceback", [])))
    return "".join(parts)


def offending_line(source, stderr):
    """(line number, text) of the source line the error points at, best effort."""
    lines = source.splitlines()
    m = re.search(r"^(\d+):(\d+) - ", stderr, re.M)  # tslab compile error "3:7 - Type 'x' is not ..."
    if m:
        n = int(m.group(1))
        if 1 <= n <= len(lines):
            return n, lines[n - 1]
    # Runtime error: Node prints the throwing line of the *transpiled* JS after "evalmachine.<anonymous>:N";
    # its line number does not map to the cell, but its text usually appears verbatim in the source.
    m = re.search(r"evalmachine\.<anonymous>:\d+\n(.*)\n", stderr)
    if m and m.group(1).strip():
        js = m.group(1).strip()
        for i, line in enumerate(lines):
            if line.strip() and (line.strip() == js or js in line or line.strip() in js):
                return i + 1, line
    # Runtime error without a position: the last non-empty line (usually the call that threw).
    for i in range(len(lines) - 1, -1, -1):
        if lines[i].strip() and not lines[i].strip().startswith("//"):
            return i + 1, lines[i]
    return 0, ""


def run_one(path, out_dir, mode, cell_timeout, nb_timeout, kernel):
    nb = nbformat.read(path, as_version=4)
    stem = Path(path).stem
    os.environ["WORKBOOK_MODE"] = mode
    os.environ["WORKBOOK_NOTEBOOK"] = stem
    client = NotebookClient(
        nb,
        kernel_name=kernel,
        timeout=cell_timeout,
        startup_timeout=120,
        allow_errors=False,
        record_timing=True,
        resources={"metadata": {"path": str(Path(path).resolve().parent)}},
    )
    status, error, results = "ok", None, []
    t0 = time.time()
    signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(int(nb_timeout))
    current = None
    out_dir.mkdir(parents=True, exist_ok=True)
    # The kernel process's own stderr (tslab's, Node's) goes to a log beside the executed notebook, not to the
    # terminal: it is noise when things work (e.g. a closed-socket message at shutdown) and is shown on failure.
    kernel_log_path = out_dir / f"{stem}.kernel.log"
    kernel_log = open(kernel_log_path, "w")
    try:
        with client.setup_kernel(stdout=kernel_log, stderr=kernel_log):
            # set after setup_kernel, which installs nbclient's own SIGTERM handler (a cleanup that a busy kernel
            # does not answer before the runner exits); put back before it shuts the kernel down, so that no handler
            # bound to this notebook's (then gone) kernel outlives it
            previous = {sig: signal.signal(sig, _on_terminate(client)) for sig in (signal.SIGTERM, signal.SIGHUP)}
            try:
                for index, cell in enumerate(nb.cells):
                    if cell.cell_type != "code":
                        continue
                    current = index
                    client.execute_cell(cell, index)
                    stdout = cell_text(cell, "stdout")
                    for m in re.finditer(r"^RESULTS (\{.*\})\s*$", stdout, re.M):
                        try:
                            results.append(json.loads(m.group(1)))
                        except json.JSONDecodeError:
                            pass
                current = None
            finally:
                for sig, handler in previous.items():
                    signal.signal(sig, handler)
    except NotebookTimeout:
        status = "timeout"
    except Exception as exc:  # CellExecutionError, DeadKernelError, CellTimeoutError, kernel start failures
        status = "error" if current is not None else "kernel-error"
        if type(exc).__name__ == "CellTimeoutError":
            status = "timeout"
        error = {"exception": f"{type(exc).__name__}: {str(exc).strip()[:2000]}"}
    finally:
        signal.alarm(0)
        kernel_log.close()
    seconds = time.time() - t0
    if status != "ok":
        error = error or {}
        if current is not None:
            cell = nb.cells[current]
            stderr = "\n".join(l for l in cell_text(cell, "stderr").strip().splitlines()
                               if not re.search(r"\(node:vm:|node_modules/tslab/|^\s+at sigintHandlersWrap", l))
            line_no, line = offending_line(cell.source, stderr)
            code_cells = [i for i, c in enumerate(nb.cells) if c.cell_type == "code"]
            error.update({
                "cell": current + 1,
                "code_cell": code_cells.index(current) + 1,
                "line": line_no,
                "source_line": line,
                "stderr": stderr[-4000:],
            })
        log_tail = kernel_log_path.read_text(errors="replace").strip()[-2000:]
        if log_tail and (status == "kernel-error" or not error.get("stderr")):
            error["kernel_log"] = log_tail
        if status == "timeout":
            error["message"] = (f"timed out after {seconds:.0f} s (per-cell limit {cell_timeout} s, "
                                f"notebook limit {nb_timeout} s)")
    nbformat.write(nb, out_dir / Path(path).name)
    return {"notebook": Path(path).name, "status": status, "seconds": round(seconds, 1),
            "error": error, "results": results}


def describe(rep):
    head = f"{rep['notebook']:<36} {rep['status']:<8} {rep['seconds']:7.1f} s"
    if rep["status"] == "ok":
        return head
    e = rep["error"] or {}
    lines = [head]
    if "cell" in e:
        lines.append(f"    failed in cell {e['cell']} (code cell {e['code_cell']}), line {e['line']}: {e['source_line'].strip()}")
    if e.get("message"):
        lines.append(f"    {e['message']}")
    if e.get("stderr"):
        lines.append("    " + e["stderr"].replace("\n", "\n    "))
    elif e.get("exception"):
        lines.append("    " + e["exception"].replace("\n", "\n    "))
    if e.get("kernel_log"):
        lines.append("    kernel log (tail):\n    " + e["kernel_log"].replace("\n", "\n    "))
    return "\n".join(lines)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("notebooks", nargs="+")
    ap.add_argument("--mode", choices=["quick", "full"], default="full")
    ap.add_argument("--out", default="build/notebooks")
    ap.add_argument("--cell-timeout", type=int, default=900)
    ap.add_argument("--notebook-timeout", type=int, default=2400)
    ap.add_argument("--kernel", default="tslab")
    ap.add_argument("--report", default=None, help="write a JSON report here")
    args = ap.parse_args(argv)
    out_dir = Path(args.out)
    reports = []
    for nb in args.notebooks:
        try:
            rep = run_one(nb, out_dir, args.mode, args.cell_timeout, args.notebook_timeout, args.kernel)
        except Terminated as t:
            print(f"{Path(nb).name:<36} stopped by signal {t.signum}; its kernel was killed", flush=True)
            return 128 + t.signum
        reports.append(rep)
        print(describe(rep), flush=True)
    if args.report:
        Path(args.report).parent.mkdir(parents=True, exist_ok=True)
        Path(args.report).write_text(json.dumps(reports, indent=1))
    failed = [r for r in reports if r["status"] != "ok"]
    print(f"{len(reports) - len(failed)} of {len(reports)} notebooks ran ({args.mode} mode); executed copies in {out_dir}/",
          flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
