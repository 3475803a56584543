using Hangar.Proxy;

// Exactly what `hangar __proxy --config PATH` runs, as its own process, so the benchmark measures
// the proxy as deployed (same entry point, same runtime settings) and nothing else.
return await ProxyProgram.RunAsync(args, CancellationToken.None);
