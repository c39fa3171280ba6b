return await Pool.Bench.BenchCommand.RunAsync(args);
