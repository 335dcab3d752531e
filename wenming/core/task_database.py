"""The database job backend of django-tasks-db, with a queued job's row written by
`core.inserts.insert`.

A citizen's submission queues its intake job in its own transaction
(core.tasks.enqueue_with_transaction), so the job's row is one of the rows every submission
writes. django-tasks-db writes it with the ORM's `create`, which compiles the INSERT each
time: a tenth of the submission's CPU in bench/intake_profile.py. Its `enqueue` also builds
the job's TaskResult twice (for the signal, then to return it): 3 % of a submission's
instructions; ours builds it once. Everything else — the worker, results, the admin — is the
library's.
"""

from __future__ import annotations

from typing import Any

from django_tasks.base import Task
from django_tasks.utils import normalize_json
from django_tasks_db.backend import DatabaseBackend as LibraryDatabaseBackend
from django_tasks_db.backend import TaskResult
from django_tasks_db.compat import task_enqueued
from django_tasks_db.models import DBTaskResult

from .inserts import insert


class DatabaseBackend(LibraryDatabaseBackend):
    def enqueue(self, task: Task, args: Any, kwargs: Any) -> TaskResult:  # type: ignore[override]
        # The library's enqueue, with the TaskResult built once.
        self.validate_task(task)  # type: ignore[arg-type]  # compat types name django.tasks
        result = self._task_to_db_task(task, args, kwargs).task_result
        task_enqueued.send(type(self), task_result=result)
        return result

    def _task_to_db_task(self, task: Task, args: Any, kwargs: Any) -> DBTaskResult:  # type: ignore[override]
        # The row the library's _task_to_db_task creates, field for field.
        return insert(
            # run_after may be None: the library's pre_save receiver sets it.
            DBTaskResult(  # type: ignore[misc]
                id=self._get_id(),
                args_kwargs=normalize_json({"args": args, "kwargs": kwargs}),
                priority=task.priority,
                task_path=task.module_path,
                queue_name=task.queue_name,
                run_after=task.run_after,
                backend_name=self.alias,
            )
        )
