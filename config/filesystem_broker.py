"""Kombu's filesystem transport, the zero-setup broker of `make run`, made to notice a stop
within a fraction of a second.

A worker on a transport without an event loop of its own (this one) runs Celery's "synloop",
which waits up to 2 s for a message before it looks at its stop flag again, so Ctrl-C took
2–4 s to stop the worker. Here a wait for messages lasts at most WAIT seconds; the loop then
comes round, sees the flag, and stops. Redis, as deployed, has an event loop and needs none
of this.
"""

from kombu.transport import filesystem

WAIT = 0.2


class Transport(filesystem.Transport):
    def drain_events(self, connection, timeout=None):
        if timeout is not None:
            timeout = min(timeout, WAIT)
        return super().drain_events(connection, timeout=timeout)
