# newswire worker image: `docker build -t newswire .`, run by docker-compose.yml.
# Two stages: wheels are built with a compiler, the runtime image carries only the venv.
FROM python:3.11-slim AS build
RUN apt-get update \
    && apt-get install -y --no-install-recommends build-essential \
    && rm -rf /var/lib/apt/lists/*
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
RUN python -m venv /opt/newswire
ENV PATH=/opt/newswire/bin:$PATH
WORKDIR /src
COPY pyproject.toml README.md ./
COPY config ./config
COPY services ./services
COPY streams ./streams
RUN pip install .

FROM python:3.11-slim
ENV PATH=/opt/newswire/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    NEWSWIRE_WEB_HOST=0.0.0.0 \
    NEWSWIRE_WEB_PORT=6066 \
    NEWSWIRE_LOG_FORMAT=json
COPY --from=build /opt/newswire /opt/newswire
RUN useradd --system --uid 10001 --home-dir /var/lib/newswire --create-home newswire
USER newswire
WORKDIR /var/lib/newswire
EXPOSE 6066
HEALTHCHECK --interval=15s --timeout=3s --start-period=120s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:' + os.environ.get('NEWSWIRE_WEB_PORT', '6066') + '/healthz', timeout=2)"]
CMD ["newswire", "worker"]
