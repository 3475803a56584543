using Hangar.Cli.Infrastructure;

return await CliApp.RunAsync(args);
