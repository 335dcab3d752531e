"""`wenming worker`: one process for the periodic scans and the queued background tasks.

Each turn runs the periodic jobs that are due (wenming.core.periodic), then up to
`--max-tasks` queued django-tasks through the configured backend's own worker loop
(django-tasks-db's, or rq's for the Redis backend, in burst mode with its scheduler so that
retries deferred by a backoff start on time), then sleeps `--interval` seconds. On the
database backend it first puts back tasks left running by a dead worker
(wenming.core.tasks.release_stale_tasks). SIGTERM/SIGINT finish the current job or task and
exit. Several workers may run at once: periodic runs and queued tasks are each claimed by one of them.
"""

from __future__ import annotations

import logging
import signal
import threading
from types import FrameType
from typing import Any

from django.core.management.base import BaseCommand
from django.db import close_old_connections
from django.utils.crypto import get_random_string
from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, task_backends
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.management.commands.db_worker import Worker as TaskWorker

from wenming.core.periodic import run_due_jobs
from wenming.core.tasks import release_stale_tasks

logger = logging.getLogger("wenming.worker")


class Command(BaseCommand):
    help = "Run the background job worker (queued jobs and the periodic scans)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--batch", action="store_true", help="Run what is due, then exit.")
        parser.add_argument("--interval", type=float, default=2.0, help="Seconds between turns.")
        parser.add_argument(
            "--max-tasks", type=int, help="Queued tasks per turn (default: 50; all with --batch)."
        )

    def handle(self, *args: object, **options: Any) -> None:
        self.stopping = threading.Event()
        self.task_worker: TaskWorker | None = None
        self.worker_id = get_random_string(32)
        if options["verbosity"] < 2:  # its start/stop lines would repeat every turn
            logging.getLogger("django_tasks_db").setLevel(logging.WARNING)
        if options["batch"]:
            self.turn(max_tasks=options["max_tasks"])
            return
        max_tasks = options["max_tasks"] or 50  # then look at the periodic jobs again
        previous = {sig: signal.signal(sig, self.stop) for sig in (signal.SIGTERM, signal.SIGINT)}
        logger.info("worker %s started", self.worker_id)
        try:
            while not self.stopping.is_set():
                self.turn(max_tasks=max_tasks)
                self.stopping.wait(options["interval"])
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)
        logger.info("worker %s stopped", self.worker_id)

    def turn(self, *, max_tasks: int | None) -> None:
        close_old_connections()
        run_due_jobs()  # logs each run
        backend = task_backends[DEFAULT_TASK_BACKEND_ALIAS]
        if self.stopping.is_set():
            return
        if isinstance(backend, DatabaseBackend):
            release_stale_tasks()
            self.task_worker = TaskWorker(
                queue_names=["*"],
                excluded_queue_names=[],
                interval=0,
                batch=True,  # returns when the queue is empty or max_tasks ran
                backend_name=backend.alias,
                startup_delay=False,
                max_tasks=max_tasks,
                worker_id=self.worker_id,
            )
            self.task_worker.run()
            self.task_worker = None
        elif backend.__class__.__name__ == "RQBackend":
            self.rq_turn(backend, max_tasks)
        close_old_connections()

    def rq_turn(self, backend: Any, max_tasks: int | None) -> None:
        from django_rq.queues import get_queues
        from django_tasks_rq.backend import Job
        from rq import SimpleWorker  # runs jobs in this process, like the database worker
        from rq.exceptions import StopRequested

        queues = get_queues(*sorted(backend.queues), job_class=Job)
        worker = SimpleWorker(
            queues, connection=queues[0].connection, job_class=Job, name=self.worker_id
        )
        ours = {sig: signal.getsignal(sig) for sig in (signal.SIGTERM, signal.SIGINT)}
        try:  # rq installs its own SIGTERM/SIGINT handlers (finish the job, then stop)
            worker.work(
                burst=True, with_scheduler=True, max_jobs=max_tasks, logging_level="WARNING"
            )
        except StopRequested:  # rq's way to stop when the signal comes between jobs
            self.stopping.set()
        finally:
            for sig, handler in ours.items():
                signal.signal(sig, handler)
        if getattr(worker, "_stop_requested", False):
            self.stopping.set()

    def stop(self, signum: int, frame: FrameType | None) -> None:
        logger.warning("%s received: stopping after the current job", signal.strsignal(signum))
        self.stopping.set()
        if self.task_worker is not None:
            self.task_worker.running = False  # its loop ends after the running task
