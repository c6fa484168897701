FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
WORKDIR /app

COPY pyproject.toml README.md ./
COPY untoc_tracker ./untoc_tracker
COPY states ./states
COPY instruments ./instruments
COPY reports ./reports
RUN pip install --no-cache-dir .

COPY . .
RUN DJANGO_DEBUG=false DJANGO_SECRET_KEY=collectstatic-only-signs-nothing-0123456789abcdefghij \
    python manage.py collectstatic --noinput

RUN useradd --system --uid 1000 tracker && chown -R tracker /app
USER tracker
EXPOSE 8000
CMD ["gunicorn", "untoc_tracker.wsgi:application", "--bind", "0.0.0.0:8000"]
