// Runs the S3 server exactly as `hangar __s3-server` does, built in Release for the benchmark.
return await Hangar.ObjectStore.S3ServerProgram.RunAsync(args, CancellationToken.None);
