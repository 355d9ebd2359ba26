using BenchmarkDotNet.Running;

BenchmarkSwitcher.FromAssembly(typeof(CodecBench.CodecBenchmarks).Assembly).Run(args);
