# syntax=docker/dockerfile:1
# poolctl: the operators' command line over the pool.v1 gRPC API.
# Build from the repository root:
#   docker build -f deploy/docker/poolctl.Dockerfile -t poolctl:dev .
#   docker run --rm --read-only -e POOL_API=https://pool.example.com:7400 -e POOL_API_KEY poolctl:dev tenants list
# Writes nothing; runs with a read-only root filesystem.

# Bump both tags together with each monthly .NET 10 patch (SDK 10.0.1NN ships runtime 10.0.NN).
FROM mcr.microsoft.com/dotnet/sdk:10.0.112 AS build
WORKDIR /src
COPY global.json nuget.config Directory.Build.props Directory.Packages.props .editorconfig ./
COPY src/ src/
# The same command scripts/test.sh runs, so CI checks exactly this output.
RUN --mount=type=cache,id=nuget,target=/root/.nuget/packages \
    dotnet publish src/Cli/Pool.Cli.csproj -c Release -o /app -nologo

# The ASP.NET Core runtime, not the plain one: poolctl shares the carrier code (Pool.Carriers),
# which references Microsoft.AspNetCore.App (see poolctl.runtimeconfig.json).
FROM mcr.microsoft.com/dotnet/aspnet:10.0.12 AS final
WORKDIR /app
COPY --from=build /app/ ./
ENV DOTNET_NOLOGO=1 \
    TMPDIR=/tmp
# `app` (uid 1654) of the .NET images, numeric so Kubernetes can verify runAsNonRoot.
USER 1654
ENTRYPOINT ["/app/poolctl"]
