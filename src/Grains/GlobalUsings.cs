global using Microsoft.Extensions.Logging;
global using Orleans.Runtime;
global using Microsoft.Extensions.DependencyInjection;
