# labops as a scheduled container: reconciles a lab repository every 15 minutes (±10%).
#   docker build -t labops .
#   docker run --rm -e AWS_REGION=us-west-2 labops reconcile --watch --git https://github.com/ORG/LAB --interval 15m
# or, with the default command, name the lab by environment:
#   docker run --rm -e AWS_REGION=us-west-2 -e LABOPS_GIT_URL=https://github.com/ORG/LAB labops
# AWS credentials come from the SDK's chain (an ECS task role, EKS IRSA / Pod Identity); never bake keys in.
# `--record git` keeps the run record on the lab's labops-status branch (needs push access);
# otherwise mount a volume and pass `--record /work/record.json`.

FROM node:24-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY reconciler ./reconciler
RUN npm run build

FROM node:24-slim
# git: labops clones and fetches the lab repository itself (simple-git drives the git binary).
RUN apt-get update \
  && apt-get install -y --no-install-recommends git ca-certificates \
  && rm -rf /var/lib/apt/lists/*
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
COPY schemas ./schemas
COPY environments ./environments
# labops init writes the example workflows into a new lab.
COPY examples/workflows ./examples/workflows
RUN useradd --create-home --uid 10001 --shell /usr/sbin/nologin labops
USER 10001:10001
ENV LABOPS_WORKDIR=/home/labops/lab
# SIGTERM stops between actions: the action in flight finishes, none starts after it, the run
# record is written, then the process exits 0 (give the container a stop timeout of minutes).
STOPSIGNAL SIGTERM
ENTRYPOINT ["node", "/app/dist/reconciler/src/cli/main.js"]
# The lab comes from LABOPS_GIT_URL (or pass `reconcile --watch --git URL --interval 15m` as the command).
CMD ["reconcile", "--watch", "--interval", "15m"]
