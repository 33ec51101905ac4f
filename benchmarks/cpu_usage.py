"""CPU seconds used by groups of processes over a window of time, read from Linux's /proc.

- a process tree (an Odoo server and its workers): user + system time of every live process
  of the tree, plus the time of its children that ended and were waited for (cutime, cstime);
- PostgreSQL's backends of one database, sampled while the window lasts (a backend's own time
  only: they live as long as the Odoo connection pool keeps them);
- the whole machine, from /proc/stat (every process, other users' included).
"""

import os
import threading

TICKS = os.sysconf("SC_CLK_TCK")


def _stat(pid):
    """(ppid, own seconds, waited-for children's seconds) of a process, or None when gone."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as file:
            data = file.read()
    except OSError:
        return None
    fields = data[data.rindex(")") + 2:].split()
    # fields[0] is the state (stat field 3): utime is field 14, so fields[11].
    ppid = int(fields[1])
    utime, stime, cutime, cstime = (int(value) for value in fields[11:15])
    return ppid, (utime + stime) / TICKS, (cutime + cstime) / TICKS


def _all_pids():
    return [int(name) for name in os.listdir("/proc") if name.isdigit()]


def tree_seconds(root_pids):
    """CPU seconds of these processes and all their descendants, ended children included."""
    parents = {}
    stats = {}
    for pid in _all_pids():
        stat = _stat(pid)
        if stat:
            stats[pid] = stat
            parents.setdefault(stat[0], []).append(pid)
    total, todo, seen = 0.0, list(root_pids), set()
    while todo:
        pid = todo.pop()
        if pid in seen or pid not in stats:
            continue
        seen.add(pid)
        total += stats[pid][1] + stats[pid][2]
        todo.extend(parents.get(pid, ()))
    return total


def machine_seconds():
    """CPU seconds the whole machine was busy (all CPUs, idle and iowait left out)."""
    with open("/proc/stat", encoding="ascii") as file:
        values = [int(value) for value in file.readline().split()[1:]]
    idle = values[3] + (values[4] if len(values) > 4 else 0)
    return (sum(values[:8]) - idle) / TICKS


class BackendSampler:
    """The CPU seconds of PostgreSQL's backends serving ``dbname`` while it runs (a thread samples
    them every ``every`` seconds; a backend that appears meanwhile counts from its start)."""

    def __init__(self, connect, dbname, every=0.5):
        self.connect, self.dbname, self.every = connect, dbname, every
        self.first, self.last = {}, {}
        self._stop = threading.Event()
        self._thread = None

    def _backends(self, cr):
        cr.execute("SELECT pid FROM pg_stat_activity WHERE datname = %s", [self.dbname])
        return [row[0] for row in cr.fetchall()]

    def _sample(self, cr, starting):
        for pid in self._backends(cr):
            stat = _stat(pid)
            if stat is None:
                continue
            if pid not in self.first:
                self.first[pid] = stat[1] if starting else 0.0
            self.last[pid] = stat[1]

    def start(self):
        self._connection = self.connect()
        self._connection.autocommit = True
        with self._connection.cursor() as cr:
            self._sample(cr, starting=True)

        def run():
            while not self._stop.wait(self.every):
                with self._connection.cursor() as cr:
                    self._sample(cr, starting=False)

        self._thread = threading.Thread(target=run, daemon=True, name="backend-cpu")
        self._thread.start()
        return self

    def stop(self):
        self._stop.set()
        self._thread.join()
        with self._connection.cursor() as cr:
            self._sample(cr, starting=False)
        self._connection.close()
        return sum(self.last[pid] - self.first[pid] for pid in self.last)


class CpuWindow:
    """CPU seconds of each group over a window: ``start()``, the work, ``stop()`` -> dict."""

    def __init__(self, odoo_pids, sandbox_pid, backend_sampler):
        self.odoo_pids, self.sandbox_pid, self.backends = odoo_pids, sandbox_pid, backend_sampler

    def _read(self):
        own = os.times()
        return {"odoo": tree_seconds(self.odoo_pids),
                "sandbox": tree_seconds([self.sandbox_pid]) if self.sandbox_pid else 0.0,
                "load driver": own.user + own.system,
                "machine": machine_seconds()}

    def start(self):
        self.backends.start()
        self.before = self._read()
        return self

    def stop(self):
        after = self._read()
        used = {name: after[name] - self.before[name] for name in after}
        used["postgresql"] = self.backends.stop()
        used["everything else on the machine"] = max(0.0, used["machine"] - sum(
            value for name, value in used.items() if name != "machine"))
        return used
