# syntax=docker/dockerfile:1
# pool-silo: the Pool process in every role (Pool__Role=all | silo | api).
# Build from the repository root:
#   docker build -f deploy/docker/pool-silo.Dockerfile -t pool-silo:dev .
# Runs read-only: it writes nothing but .NET's diagnostics socket under /tmp (mount a small
# tmpfs/emptyDir there). Logs go to the console only. See README "Containers and Kubernetes".

# Bump both tags together with each monthly .NET 10 patch (SDK 10.0.1NN ships runtime 10.0.NN).
FROM mcr.microsoft.com/dotnet/sdk:10.0.112 AS build
WORKDIR /src
# What the publish reads: the SDK pin, package sources and versions, build settings, the
# sources, and the SQL migrations the silo embeds.
COPY global.json nuget.config Directory.Build.props Directory.Packages.props .editorconfig ./
COPY src/ src/
COPY deploy/sql/migrations/ deploy/sql/migrations/
# The same command scripts/test.sh runs, so CI checks exactly this output.
RUN --mount=type=cache,id=nuget,target=/root/.nuget/packages \
    dotnet publish src/Silo/Pool.Silo.csproj -c Release -o /app -nologo

FROM mcr.microsoft.com/dotnet/aspnet:10.0.12 AS final
WORKDIR /app
COPY --from=build /app/ ./
# ASPNETCORE_HTTP_PORTS is emptied: Pool binds its own ports (Pool__Api__GrpcPort/HttpPort).
# TMPDIR is the only writable path the process needs. Nothing is written under $HOME.
ENV ASPNETCORE_HTTP_PORTS= \
    DOTNET_NOLOGO=1 \
    TMPDIR=/tmp
# `app` (uid 1654) of the .NET images, numeric so Kubernetes can verify runAsNonRoot.
USER 1654
# gRPC API, HTTP (health, dashboard, metrics), silo-to-silo, Orleans gateway: the process's
# defaults (src/Silo/Configuration/ApiHostOptions.cs, ClusterSettings.cs).
EXPOSE 7400 7401 7410 7420
# GET /readyz on the HTTP port (Pool__Api__HttpPort, https with a configured certificate): 0 on 200.
HEALTHCHECK --interval=10s --timeout=5s --start-period=60s --retries=3 \
    CMD ["/app/pool-silo", "health"]
ENTRYPOINT ["/app/pool-silo"]
