"""Helpers of deploy/local/benchmark.sh.

  benchmark-section.py DOC TITLE FILE
      replaces the section "## TITLE" of DOC (up to the next "## ") with the contents of FILE,
      or appends it.
  benchmark-section.py --startup TSV RUNS DATE TUNED_OPTIONS
      prints the start-up section (markdown) from the measurements in TSV
      (service, set-up, run, "started in" seconds, ready ms, RSS KiB).
  benchmark-section.py --breakdown RUN
      prints, per phase of the early-warning run RUN, where the time of a probe went, from the
      timestamps the services stored in their (test) databases.
"""
import collections
import statistics
import sys


def write_section(doc, title, body_file):
    title = "## " + title
    text = open(doc, encoding="utf-8").read()
    body = open(body_file, encoding="utf-8").read().rstrip("\n") + "\n"
    section = title + "\n\n" + body + "\n"
    at = text.find(title + "\n")
    if at >= 0:
        nxt = text.find("\n## ", at + 1)
        text = text[:at] + section + (text[nxt + 1:] if nxt >= 0 else "")
    else:
        text = text.rstrip("\n") + "\n\n" + section
    open(doc, "w", encoding="utf-8").write(text)


def startup(tsv, runs, today, tuned, jdk25):
    rows = collections.OrderedDict()
    for line in open(tsv, encoding="utf-8"):
        name, cfg, _run, started, ready, rss = line.rstrip("\n").split("\t")
        rows.setdefault((name, cfg), []).append((float(started or "nan"), int(ready), int(rss)))
    out = [f"Measured {today} with `deploy/local/benchmark.sh startup` on this project's 2-core machine: each",
           "service alone (the other services stopped), started from its packaged jar against its test",
           f"database and the test Keycloak; median of {runs} runs per set-up, set-ups interleaved. *started in* is",
           "Quarkus's own log line; *ready* runs from launching `java` to the first 200 of `/q/health/ready`",
           "(polled every 20 ms); RSS is `ps -o rss` one second after ready. The baseline is `default`",
           "(`java -jar`, no option), measured in the same run.",
           "",
           "| service | JVM set-up | started in (s) | ready (s) | RSS (MiB) | ready / default | RSS / default |",
           "|---|---|---|---|---|---|---|"]
    base = {}
    for (name, cfg), v in rows.items():
        started = statistics.median([x[0] for x in v])
        ready = statistics.median([x[1] for x in v]) / 1000
        rss = statistics.median([x[2] for x in v]) / 1024
        if cfg == "default":
            base[name] = (ready, rss)
        b = base.get(name, (ready, rss))
        out.append(f"| {name} | {cfg} | {started:.2f} | {ready:.2f} | {rss:.0f} | {ready / b[0]:.2f} | {rss / b[1]:.2f} |")
    out += ["",
            "- `default`: `java -jar quarkus-run.jar`;",
            f"- `tuned`: `{tuned}`;",
            f"- `tuned, JDK 25`: the same options on JDK {jdk25} (what `deploy/local/platform.sh` runs the services on);",
            "- `tuned+AOT cache, JDK 25`: the same plus `-XX:AOTCache=<service>.aot`, the JDK's ahead-of-time cache",
            "  (JEP 483/514/515: classes loaded and linked, method profiles) written by a training start of the",
            "  service just before (`-XX:AOTCacheOutput`, start until ready, then stop). The jars are Quarkus's",
            "  `aot-jar` packaging, which puts every class on the JVM's class path where the cache can hold it."]
    print("\n".join(out))


def psql(db, sql):
    import os
    import subprocess
    out = subprocess.run(["psql", "-h", os.environ.get("DB_HOST", "127.0.0.1"), "-p", os.environ.get("DB_PORT", "5432"),
                          "-U", os.environ.get("DB_USER", "exportcontrol"), "-d", db, "-qtAF,", "-c", sql],
                         check=True, capture_output=True, text=True).stdout
    return [line.split(",") for line in out.splitlines() if line]


def breakdown(run):
    """t1 reporting's outbox row (committed with the event), t2 enforcement receives the signal,
    t3 the alert is raised, t4 notification accepts the Notify, t5 the inbox item is delivered."""
    like = f"360000-{run}-%-P%-D"
    t = collections.defaultdict(dict)
    for decl, at in psql("reporting_test", "select d, extract(epoch from o.created_at) from (select '360000-' || "
                         "left(event_id, length(event_id) - 2) || '-D' as d, received_at from chain_event where event_id like "
                         f"'{run}-%-P%-d') e join outbox_message o on o.created_at >= e.received_at - interval '5 s' "
                         "and position(convert_to(d, 'UTF8') in o.payload) > 0"):
        t[decl]["t1"] = float(at)
    for decl, t2, t3 in psql("enforcement_test", "select s.subject_id, extract(epoch from s.received_at), "
                             "extract(epoch from a.raised_at) from signal s join alert a on a.subject_id = s.subject_id "
                             f"where s.subject_id like '{like}'"):
        t[decl]["t2"], t[decl]["t3"] = float(t2), float(t3)
    for title, t4, t5 in psql("notification_test", "select n.title, extract(epoch from n.created_at), "
                              "extract(epoch from min(i.delivered_at)) from notification n join inbox_item i on "
                              f"i.notification_id = n.id where n.title like '%{like}' group by n.id"):
        decl = title.rsplit(": ", 1)[-1]
        t[decl]["t4"], t[decl]["t5"] = float(t4), float(t5)
    stages = [("t1", "t2", "reporting outbox -> enforcement receives the signal"),
              ("t2", "t3", "enforcement: rules, alert raised"),
              ("t3", "t4", "enforcement outbox -> notification accepts Notify"),
              ("t4", "t5", "notification: recipients resolved, inbox item written")]
    phases = sorted({d.split("-")[2] for d in t} - {"99"}, key=int)
    out = ["| phase | " + " | ".join(s[2] for s in stages) + " |", "|---|" + "---|" * len(stages)]
    for ph in phases:
        cells = []
        for a, b, _ in stages:
            xs = sorted((v[b] - v[a]) * 1000 for d, v in t.items() if d.split("-")[2] == ph and a in v and b in v)
            if xs:
                p99 = xs[min(len(xs) - 1, max(0, -(-99 * len(xs) // 100) - 1))]
                cells.append(f"{statistics.median(xs):.0f} / {p99:.0f}")
            else:
                cells.append("-")
        out.append(f"| {ph} | " + " | ".join(cells) + " |")
    print("\n".join(out))


if __name__ == "__main__":
    if sys.argv[1] == "--breakdown":
        breakdown(sys.argv[2])
        sys.exit(0)
    if sys.argv[1] == "--startup":
        startup(*sys.argv[2:7])
    else:
        write_section(*sys.argv[1:4])
