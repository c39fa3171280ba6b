return await Pool.Cli.PoolCtl.RunAsync(args);
