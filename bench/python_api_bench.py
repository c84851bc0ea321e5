#!/usr/bin/python3
"""The Python API benchmark's driver (bench/python_api.sh runs it): samestory.dedup and
samestory.cluster called from Python against the samestory CLI and the Python peers, on one input.

Every measurement is a fresh process, timed with os.wait4 (wall seconds, peak RSS):
  cli_dedup_T     samestory dedup --threads T -q IN -o OUT
  py_path_T       a worker (this script, --worker): `import samestory` (timed), then
                  samestory.dedup(IN, n_jobs=T) (timed)
  py_dicts_T      the same with a list of dicts json.loads'ed from IN before the call (untimed)
  cli_cluster_T   samestory cluster --threads T -q IN -o OUT
  pyc_path_T      samestory.cluster(IN, n_jobs=T) in a worker
  ds, mh, radius  bench/peers/datasketch_peer.py (threshold 0.8), minhash_lsh_peer.py (0.8),
                  sklearn_cluster_peer.py --method radius (one Python thread each)
Checks first (untimed, one run each): the CLI output is the same at every T and has one line per
input record; each worker's result.to_jsonl() is compared byte for byte with the CLI's output file.
Then RUNS interleaved rounds (every measurement once per round); medians of the rounds. Progress
goes to stderr, the Markdown tables to stdout.

usage: python_api_bench.py --samestory BIN --pythonpath DIR --input IN --tmp DIR
                           [--runs 3] [--threads 1,2] [--peers ds,mh,radius] [--datasketch DIR]
                           [--radius 0.77]
       python_api_bench.py --worker dedup|cluster path|dicts IN T [--out FILE]
"""
import argparse
import gzip
import json
import os
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
PEERS = os.path.join(HERE, "peers")


def log(msg):
    print("python_api_bench: " + msg, file=sys.stderr, flush=True)


def load_dicts(path):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def worker(kind, source, path, threads, out):
    """One measurement in this (fresh) interpreter; prints its timings as JSON on stdout."""
    t0 = time.perf_counter()
    import samestory
    t1 = time.perf_counter()
    records = load_dicts(path) if source == "dicts" else path
    t2 = time.perf_counter()
    result = getattr(samestory, kind)(records, n_jobs=threads)
    t3 = time.perf_counter()
    if out:  # checks only: not in the timed rounds
        with open(out, "w", encoding="utf-8", newline="") as f:
            f.write(result.to_jsonl())
    print(json.dumps({"import_s": t1 - t0, "load_s": t2 - t1, "call_s": t3 - t2,
                      "records": len(result.ids), "summary": str(result.summary)[:300]}))


class Bench:
    def __init__(self, args):
        self.a = args
        self.tmp = args.tmp
        for d in ("out", "err"):
            os.makedirs(os.path.join(self.tmp, d), exist_ok=True)
        self.n_records = sum(1 for _ in self.lines(args.input))
        self.times = {}  # name -> [dict(wall, rss_mb, call_s, import_s, load_s)]
        self.notes = []

    @staticmethod
    def lines(path):
        opener = gzip.open if path.endswith(".gz") else open
        with opener(path, "rb") as f:
            for line in f:
                if line.strip():
                    yield line

    def note(self, msg):
        self.notes.append(msg)
        log(msg)

    def command(self, name, out):
        """The argv of measurement `name`, writing its output (CLI, peers, checked workers) to out."""
        a, kind, t = self.a, name.split("_")[0], name.rsplit("_", 1)[-1]
        py = [sys.executable]
        if kind in ("cli", "clic"):
            sub = "dedup" if name.startswith("cli_dedup") else "cluster"
            return [a.samestory, sub, "--threads", t, "-q", a.input, "-o", out]
        if kind in ("py", "pyc"):
            cmd = py + [os.path.abspath(__file__), "--worker", "dedup" if kind == "py" else "cluster",
                        name.split("_")[1], a.input, t]
            return cmd + (["--out", out] if out else [])
        if name == "ds":
            return py + [os.path.join(PEERS, "datasketch_peer.py"), "--datasketch", a.datasketch,
                         a.input, "--threshold", "0.8", "-o", out]
        if name == "mh":
            return py + [os.path.join(PEERS, "minhash_lsh_peer.py"), a.input, "--threshold", "0.8",
                         "-o", out]
        if name == "radius":
            return py + [os.path.join(PEERS, "sklearn_cluster_peer.py"), a.input, "--method", "radius",
                         "--threshold", str(a.radius), "-o", out]
        raise ValueError(name)

    def run(self, name, out=None, timed=True):
        """Runs measurement `name` once: wall seconds and peak RSS of its process (os.wait4)."""
        cmd = self.command(name, out or os.path.join(self.tmp, "out", name + ".jsonl"))
        env = dict(os.environ)
        if name.startswith("py"):
            env["PYTHONPATH"] = self.a.pythonpath
        err_path = os.path.join(self.tmp, "err", name + ".err")
        with open(err_path, "wb") as err:
            t0 = time.perf_counter()
            p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=err, env=env)
            stdout = p.stdout.read()
            _, status, usage = os.wait4(p.pid, 0)
            wall = time.perf_counter() - t0
            p.returncode = os.waitstatus_to_exitcode(status)
            p.stdout.close()
        if p.returncode != 0:
            with open(err_path, errors="replace") as f:
                tail = f.read()[-2000:]
            sys.exit("python_api_bench: FAILED (exit %d): %s\n%s" % (p.returncode, " ".join(cmd), tail))
        m = {"wall": wall, "rss_mb": usage.ru_maxrss * 1024 / 1e6}
        if name.startswith("py"):
            m.update(json.loads(stdout.decode().strip().splitlines()[-1]))
        if timed:
            self.times.setdefault(name, []).append(m)
            log("%-16s %6.2f s wall%s, %5.0f MB; load %s" % (
                name, wall, ", call %.2f s" % m["call_s"] if "call_s" in m else "", m["rss_mb"],
                open("/proc/loadavg").read().split()[0]))
        return m

    def same(self, ref, other):
        with open(ref, "rb") as f, open(other, "rb") as g:
            a, b = f.read(), g.read()
        if a == b:
            return "yes"
        la, lb = a.splitlines(), b.splitlines()
        diff = sum(x != y for x, y in zip(la, lb)) + abs(len(la) - len(lb))
        return "**no** (%d of %d lines differ)" % (diff, len(la))

    def check(self):
        """Untimed runs: the CLI's outputs (references), then each worker's to_jsonl() against them."""
        self.identical = {}
        for kind, cli, pys in (("dedup", "cli_dedup", ("py_path", "py_dicts")),
                               ("cluster", "clic_cluster", ("pyc_path",))):
            ref = None
            for t in self.a.threads:
                out = os.path.join(self.tmp, "out", "ref.%s_%s.jsonl" % (cli, t))
                self.run("%s_%s" % (cli, t), out, timed=False)
                got = sum(1 for _ in self.lines(out))
                if got != self.n_records:
                    sys.exit("python_api_bench: FAILED: %s wrote %d lines for %d records"
                             % (out, got, self.n_records))
                if ref is None:
                    ref = out
                elif self.same(ref, out) != "yes":
                    self.note("WARNING: samestory %s output differs between threads %s and %s"
                              % (kind, self.a.threads[0], t))
                for py in pys:
                    name = "%s_%s" % (py, t)
                    pout = os.path.join(self.tmp, "out", "check.%s.jsonl" % name)
                    self.run(name, pout, timed=False)
                    self.identical[name] = self.same(out, pout)
                    log("check %s: to_jsonl() identical to the CLI output: %s"
                        % (name, self.identical[name]))

    def rounds(self):
        names = []
        for t in self.a.threads:
            names += ["cli_dedup_%s" % t, "py_path_%s" % t, "py_dicts_%s" % t]
        for t in self.a.threads:
            names += ["clic_cluster_%s" % t, "pyc_path_%s" % t]
        names += self.a.peers
        for r in range(1, self.a.runs + 1):
            log("round %d of %d" % (r, self.a.runs))
            for name in names:
                self.run(name)
                if name.startswith("cli"):
                    ref = os.path.join(self.tmp, "out", "ref.%s.jsonl" % name)
                    if self.same(ref, os.path.join(self.tmp, "out", name + ".jsonl")) != "yes":
                        self.note("WARNING: %s output of round %d differs from its check run" % (name, r))
                elif name in ("ds", "mh", "radius"):
                    got = sum(1 for _ in self.lines(os.path.join(self.tmp, "out", name + ".jsonl")))
                    if got != self.n_records:
                        sys.exit("python_api_bench: FAILED: %s wrote %d lines for %d records"
                                 % (name, got, self.n_records))

    # ---- tables -------------------------------------------------------------------------------
    def med(self, name, key):
        return statistics.median(m[key] for m in self.times[name])

    def rng(self, name, key):
        xs = [m[key] for m in self.times[name]]
        return "%.2f (%.2f-%.2f)" % (statistics.median(xs), min(xs), max(xs))

    def api_table(self, kind, cli, rows):
        print("| what | threads | timed seconds, median (range) | / CLI | import + call s | "
              "process wall s | peak RSS MB | to_jsonl() = CLI output |")
        print("|---|---|---|---|---|---|---|---|")
        for t in self.a.threads:
            c = "%s_%s" % (cli, t)
            base = self.med(c, "wall")
            print("| `samestory %s` CLI (whole process) | %s | %s | 1.00x | — | %.2f | %.0f | (reference) |"
                  % (kind, t, self.rng(c, "wall"), base, self.med(c, "rss_mb")))
            for py, label in rows:
                n = "%s_%s" % (py, t)
                ratio = self.med(n, "call_s") / base
                verdict = ""
                if py.endswith("path"):
                    verdict = " (within 10%%: %s)" % ("yes" if ratio <= 1.10 else "**no**")
                imp = statistics.median(m["import_s"] + m["call_s"] for m in self.times[n])
                load = ""
                if py.endswith("dicts"):
                    load = " (+ json.loads %.2f s)" % self.med(n, "load_s")
                print("| %s, the call | %s | %s | %.2fx%s | %.2f | %.2f%s | %.0f | %s |"
                      % (label, t, self.rng(n, "call_s"), ratio, verdict, imp,
                         self.med(n, "wall"), load, self.med(n, "rss_mb"), self.identical[n]))

    def peer_table(self):
        label = {"ds": "datasketch MinHash + MinHashLSH, 128 perm, threshold 0.8 (`datasketch_peer.py`)",
                 "mh": "numpy MinHash-LSH, 128 perm, threshold 0.8 (`minhash_lsh_peer.py`)",
                 "radius": "sklearn TF-IDF + radius neighbours, cosine distance <= %g "
                           "(`sklearn_cluster_peer.py --method radius`)" % self.a.radius}
        ref = {"ds": "py_path", "mh": "py_path", "radius": "pyc_path"}
        heads = ["peer / samestory, %s thread%s: process; call" % (t, "s" if t != "1" else "")
                 for t in self.a.threads]
        print("| peer | threads | process wall s, median (range) | peak RSS MB | " + " | ".join(heads) + " |")
        print("|---|---|---|---|" + "---|" * len(heads))
        for p in self.a.peers:
            w = self.med(p, "wall")
            cells = []
            for t in self.a.threads:
                n = "%s_%s" % (ref[p], t)
                cells.append("%.1fx; %.1fx" % (w / self.med(n, "wall"), w / self.med(n, "call_s")))
            print("| %s | 1 | %s | %.0f | %s |" % (label[p], self.rng(p, "wall"), self.med(p, "rss_mb"),
                                                   " | ".join(cells)))

    def report(self):
        print("### dedup: `samestory dedup` CLI vs `samestory.dedup` from Python")
        print()
        self.api_table("dedup", "cli_dedup", [("py_path", "`samestory.dedup(path, n_jobs=T)`"),
                                              ("py_dicts", "`samestory.dedup(list of %d dicts, n_jobs=T)`"
                                               % self.n_records)])
        print()
        print("### cluster: `samestory cluster` CLI vs `samestory.cluster` from Python")
        print()
        self.api_table("cluster", "clic_cluster", [("pyc_path", "`samestory.cluster(path, n_jobs=T)`")])
        if self.a.peers:
            print()
            print("### Python peers (one Python thread each) against samestory from Python")
            print()
            self.peer_table()
        print()
        print("Checks:")
        print()
        warned = any(n.startswith("WARNING") for n in self.notes)
        print("- every CLI and peer output has one line per input record (%d); each CLI output was "
              "compared byte for byte across threads %s and with every timed round's: %s"
              % (self.n_records, " and ".join(self.a.threads),
                 "see the warnings below" if warned else "identical"))
        for n in self.notes:
            print("- " + n)


def main():
    if len(sys.argv) > 1 and sys.argv[1] == "--worker":
        ap = argparse.ArgumentParser()
        ap.add_argument("--worker", nargs=4, metavar=("KIND", "SOURCE", "INPUT", "T"), required=True)
        ap.add_argument("--out", default="")
        a = ap.parse_args()
        kind, source, path, t = a.worker
        worker(kind, source, path, int(t), a.out)
        return
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--samestory", required=True)
    ap.add_argument("--pythonpath", required=True)
    ap.add_argument("--input", required=True)
    ap.add_argument("--tmp", required=True)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--threads", default="1,2")
    ap.add_argument("--peers", default="ds,mh,radius")
    ap.add_argument("--datasketch", default="")
    ap.add_argument("--radius", type=float, default=0.77)
    a = ap.parse_args()
    a.threads = [t for t in a.threads.replace(",", " ").split() if t]
    a.peers = [p for p in a.peers.replace(",", " ").split() if p]
    if a.runs < 1 or not a.threads or any(not t.isdigit() for t in a.threads):
        ap.error("--runs must be >= 1 and --threads a list of thread counts")
    if any(p not in ("ds", "mh", "radius") for p in a.peers):
        ap.error("--peers: a list of ds, mh, radius")
    if "ds" in a.peers and not a.datasketch:
        ap.error("--peers ds needs --datasketch DIR")
    b = Bench(a)
    log("%d records in %s" % (b.n_records, a.input))
    b.check()
    b.rounds()
    b.report()


if __name__ == "__main__":
    main()
