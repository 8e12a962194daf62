FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
RUN apt-get update && apt-get install -y --no-install-recommends gcc libpq-dev gettext \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
RUN python manage.py compilemessages --ignore=.venv -v 0 \
    && DJANGO_SETTINGS_MODULE=vanke_crm.settings.local DATABASE_URL=sqlite:////tmp/build.db \
       REDIS_URL=redis://localhost:6379/0 python manage.py collectstatic --noinput -v 0
EXPOSE 8000
CMD ["gunicorn", "vanke_crm.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3"]
