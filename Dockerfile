# 9+ Coach: `docker build -t nineplus-coach .` then see compose.yaml.
# The install step is deploy/install.sh, the same script CI runs (.ci/wheel).
FROM python:3.11-slim AS build
WORKDIR /src
COPY . .
RUN sh deploy/install.sh /opt/coach

FROM python:3.11-slim
RUN useradd --system --uid 10001 --create-home --home-dir /var/lib/coach coach
COPY --from=build /opt/coach /opt/coach
ENV PATH=/opt/coach/bin:$PATH \
    PORT=3000 \
    PYTHONUNBUFFERED=1
USER coach
WORKDIR /var/lib/coach
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s \
  CMD python -c "import os, urllib.request; urllib.request.urlopen(f'http://127.0.0.1:{os.environ[\"PORT\"]}/healthz', timeout=4)"
# Bring the schema up to date, then serve; `coach run` stops cleanly on SIGTERM.
CMD ["sh", "-c", "coach migrate && exec coach run"]
