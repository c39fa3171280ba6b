// Each scenario runs a PostgreSQL server and three silos on a machine that may have two cores: one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
