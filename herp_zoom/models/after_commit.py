"""What a transaction hands over to the moment after its commit (Zoom requests, a look at other
interviews), gathered: one hook per kind and transaction, run once with all it collected, and
not at all when the transaction is rolled back."""


def collect_after_commit(cr, key, items, hook):
    """Add ``items`` to what the transaction of ``cr`` collects under ``key``; its first call
    registers ``hook(collected)`` to run after the commit."""
    data = cr.postcommit.data
    if key not in data:
        collected = data[key] = set()
        cr.postcommit.add(lambda: hook(collected))
    data[key].update(items)
