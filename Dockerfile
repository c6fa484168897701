FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1

# The user the processes run as, made first so that every copy can hand it its files at once
# (a later `chown -R` would store every file a second time in a layer of its own). The working
# folder is made as its own (WORKDIR alone would make it root's): beat keeps its schedule file
# there.
RUN useradd --system --uid 1000 --create-home tracker \
    && install --directory --owner=tracker --group=tracker /app
WORKDIR /app

# Where focal points' attachments are kept (FOCAL_ATTACHMENTS_ROOT in docker-compose.yml), made
# as the tracker user's and closed to others: an empty named volume mounted there takes its
# owner and mode from it.
RUN install --directory --owner=tracker --group=tracker --mode=700 \
    /var/lib/untoc-tracker/focal-attachments

# The dependencies first, in a layer of their own that a code change does not rebuild. The
# install is editable: the code runs from /app only, with its data files and templates,
# whether gunicorn, manage.py or a Celery process imports it (no second, installed copy).
COPY --chown=tracker:tracker pyproject.toml README.md ./
COPY --chown=tracker:tracker core ./core
COPY --chown=tracker:tracker untoc_tracker ./untoc_tracker
COPY --chown=tracker:tracker states ./states
COPY --chown=tracker:tracker instruments ./instruments
COPY --chown=tracker:tracker reports ./reports
COPY --chown=tracker:tracker focal ./focal
COPY --chown=tracker:tracker alerts ./alerts
RUN pip install --no-cache-dir --editable .

# Everything else .dockerignore lets through (never .env, .venv, db.sqlite3 or .git).
COPY --chown=tracker:tracker . .
# The message catalogues compiled into the image (Babel's writer: no GNU gettext in it).
RUN DJANGO_DEBUG=false DJANGO_SECRET_KEY=collectstatic-only-signs-nothing-0123456789abcdefghij \
    sh -c "python manage.py collectstatic --noinput && python manage.py compile_catalogues"

USER tracker
EXPOSE 8000
CMD ["gunicorn", "untoc_tracker.wsgi:application", "--bind", "0.0.0.0:8000"]
