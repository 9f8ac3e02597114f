"""GET /api/v1/plan: the signed-in client's current program, its schedule and every routine in it."""

from __future__ import annotations

from datetime import timedelta

from flask_login import current_user

from ..programs.models import WEEKDAYS
from ..programs.services import active_assignment, program_payload, routine_payload
from ..sessions.schedule import plan_for
from . import bp, role_required


@bp.get("/plan")
@role_required("client")
def get_plan():
    assignment = active_assignment(current_user)
    if assignment is None:
        return {"program": None, "schedule": [], "routines": []}
    plan = plan_for(assignment)
    program = assignment.program
    schedule = []
    day = plan.start_date
    while day <= plan.end_date:
        routine = plan.routine_on(day)
        if routine is not None:
            schedule.append(
                {
                    "date": day.isoformat(),
                    "weekday": WEEKDAYS[day.weekday()],
                    "week": plan.week_number(day),
                    "routine_id": routine.id,
                }
            )
        day += timedelta(days=1)
    summary = program_payload(program)
    summary.pop("weeks")
    summary.update(
        start_date=plan.start_date.isoformat(),
        end_date=plan.end_date.isoformat(),
        assignment_id=assignment.id,
        assigned_by=assignment.assigned_by_id,
    )
    routines = [routine_payload(r) | {"week": w.number} for w in program.weeks for r in w.routines]
    return {"program": summary, "schedule": schedule, "routines": routines}
