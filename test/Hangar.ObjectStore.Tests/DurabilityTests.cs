using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;

namespace Hangar.ObjectStore.Tests;

public sealed class DurabilityTests(S3Fixture fx) : IClassFixture<S3Fixture>
{
    [Fact]
    public async Task HundredConcurrentWriters_OneKey_OneWinsWhole()
    {
        using var s3 = fx.Client();
        await s3.PutBucketAsync("race");
        var bodies = Enumerable.Range(0, 100).Select(_ => RandomNumberGenerator.GetBytes(64 * 1024)).ToArray();
        await Task.WhenAll(bodies.Select(b => s3.PutObjectAsync(new PutObjectRequest { BucketName = "race", Key = "hot", InputStream = new MemoryStream(b) })));
        using var get = await s3.GetObjectAsync("race", "hot");
        using var ms = new MemoryStream();
        await get.ResponseStream.CopyToAsync(ms);
        var winner = ms.ToArray();
        Assert.Contains(bodies, b => b.AsSpan().SequenceEqual(winner));
        Assert.Equal("\"" + Convert.ToHexStringLower(MD5.HashData(winner)) + "\"", get.ETag);
        // Every loser's blob was removed once replaced: exactly one body file remains for the bucket.
        var bucketId = fx.Server.Stores.Catalog.Snapshot.Buckets["race"].Id;
        var blobs = Directory.GetFiles(Path.Combine(fx.DataDir, "buckets", bucketId, "blobs"), "*", SearchOption.AllDirectories);
        Assert.Single(blobs);
        Assert.Empty(Directory.GetFiles(Path.Combine(fx.DataDir, "tmp")));
    }

    [Fact]
    public async Task Kill9DuringLargeUpload_LeavesOldObjectWhole_AndCleansUp()
    {
        var dataDir = Directory.CreateTempSubdirectory("hangar-s3-crash-").FullName;
        var tokenFile = Path.Combine(dataDir, "..", Path.GetFileName(dataDir) + ".token");
        await File.WriteAllTextAsync(tokenFile, "crash-token");
        try
        {
            var old = RandomNumberGenerator.GetBytes(1024 * 1024);
            using (var server = await ServerProcess.StartAsync(dataDir, tokenFile))
            {
                await server.AdminAsync(HttpMethod.Put, "/_hangar/admin/keys/CRASH", new { secretKey = "crash-secret-012345", buckets = Array.Empty<string>() });
                using var s3 = server.Client();
                await s3.PutBucketAsync("crash");
                await s3.PutObjectAsync(new PutObjectRequest { BucketName = "crash", Key = "obj", InputStream = new MemoryStream(old) });

                var halfway = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                var upload = s3.PutObjectAsync(new PutObjectRequest
                {
                    BucketName = "crash", Key = "obj", InputStream = new SlowStream(400L * 1024 * 1024, 64L * 1024 * 1024, halfway),
                });
                await halfway.Task.WaitAsync(TimeSpan.FromSeconds(60));
                // The body is partly on disk in tmp/ when the process dies.
                await PollAsync(() => Directory.EnumerateFiles(Path.Combine(dataDir, "tmp")).Any(), TimeSpan.FromSeconds(20));
                server.Kill();
                await Assert.ThrowsAnyAsync<Exception>(() => upload);
            }
            using (var restarted = await ServerProcess.StartAsync(dataDir, tokenFile))
            {
                using var s3 = restarted.Client();
                using var get = await s3.GetObjectAsync("crash", "obj");
                using var ms = new MemoryStream();
                await get.ResponseStream.CopyToAsync(ms);
                Assert.Equal(old, ms.ToArray());
                Assert.Empty(Directory.EnumerateFiles(Path.Combine(dataDir, "tmp")));
                var blobs = Directory.GetFiles(Path.Combine(dataDir, "buckets"), "*", SearchOption.AllDirectories)
                    .Where(f => f.Contains("/blobs/", StringComparison.Ordinal)).ToList();
                Assert.Single(blobs);
            }
        }
        finally
        {
            Directory.Delete(dataDir, recursive: true);
            File.Delete(tokenFile);
        }
    }

    [Fact]
    public async Task Kill9DuringLifecyclePass_ResumesAndDeletesOnlyWhatTheRuleCovers()
    {
        var dataDir = Directory.CreateTempSubdirectory("hangar-s3-lifecycle-").FullName;
        var tokenFile = Path.Combine(dataDir, "..", Path.GetFileName(dataDir) + ".token");
        await File.WriteAllTextAsync(tokenFile, "crash-token");
        // The server's test-only knobs: a one-second lifecycle day and a pass every 200 ms.
        var environment = new Dictionary<string, string> { ["HANGAR_S3_LIFECYCLE_DAY_SECONDS"] = "1", ["HANGAR_S3_LIFECYCLE_INTERVAL_SECONDS"] = "0.2" };
        const int Covered = 1200, Kept = 60;
        try
        {
            using (var server = await ServerProcess.StartAsync(dataDir, tokenFile, environment))
            {
                await server.AdminAsync(HttpMethod.Put, "/_hangar/admin/keys/CRASH", new { secretKey = "crash-secret-012345", buckets = Array.Empty<string>() });
                using var s3 = server.Client();
                await s3.PutBucketAsync("expiring");
                foreach (var batch in Enumerable.Range(0, Covered + Kept).Chunk(100))
                {
                    await Task.WhenAll(batch.Select(i => s3.PutObjectAsync(new PutObjectRequest
                    {
                        BucketName = "expiring", Key = i < Covered ? $"tmp/{i:D5}" : $"keep/{i:D5}", ContentBody = "body " + i,
                    })));
                }
                await s3.PutLifecycleConfigurationAsync(new PutLifecycleConfigurationRequest
                {
                    BucketName = "expiring",
                    Configuration = new LifecycleConfiguration
                    {
                        Rules =
                        [
                            new LifecycleRule
                            {
                                Id = "tmp", Status = LifecycleRuleStatus.Enabled, Expiration = new LifecycleRuleExpiration { Days = 1 },
                                Filter = new LifecycleFilter { LifecycleFilterPredicate = new LifecyclePrefixPredicate { Prefix = "tmp/" } },
                            },
                        ],
                    },
                });
                // Killed as soon as the pass has started deleting (or, on a fast run, just after it finished).
                await PollCountAsync(s3, "tmp/", n => n < Covered);
                server.Kill();
            }
            using (var restarted = await ServerProcess.StartAsync(dataDir, tokenFile, environment))
            {
                using var s3 = restarted.Client();
                await PollCountAsync(s3, "tmp/", n => n == 0);
                Assert.Equal(Kept, await CountAsync(s3, "keep/"));
                using var get = await s3.GetObjectAsync("expiring", $"keep/{Covered:D5}");
                using var reader = new StreamReader(get.ResponseStream);
                Assert.Equal("body " + Covered, await reader.ReadToEndAsync());
            }
        }
        finally
        {
            Directory.Delete(dataDir, recursive: true);
            File.Delete(tokenFile);
        }
    }

    private static async Task PollCountAsync(IAmazonS3 s3, string prefix, Func<int, bool> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!done(await CountAsync(s3, prefix)))
        {
            Assert.True(DateTime.UtcNow < deadline, $"the count of {prefix} never got there");
            await Task.Delay(20);
        }
    }

    private static async Task<int> CountAsync(IAmazonS3 s3, string prefix)
    {
        var count = 0;
        string? token = null;
        do
        {
            var page = await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = "expiring", Prefix = prefix, ContinuationToken = token });
            count += page.S3Objects?.Count ?? 0;
            token = page.IsTruncated == true ? page.NextContinuationToken : null;
        }
        while (token is not null);
        return count;
    }

    private static async Task PollAsync(Func<bool> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not reached before the deadline");
            await Task.Delay(50);
        }
    }

    /// <summary>The server as a separate OS process (this test assembly's own Main), so it can be kill -9ed.</summary>
    private sealed class ServerProcess : IDisposable
    {
        private readonly Process _process;

        private ServerProcess(Process process, Uri address)
        {
            _process = process;
            Address = address;
        }

        public Uri Address { get; }

        public static async Task<ServerProcess> StartAsync(string dataDir, string tokenFile, IReadOnlyDictionary<string, string>? environment = null)
        {
            var dll = typeof(ServerMain).Assembly.Location;
            var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var (name, value) in environment ?? new Dictionary<string, string>())
            {
                psi.Environment[name] = value;
            }
            foreach (var arg in new[] { dll, "__s3-server", "--data-dir", dataDir, "--listen", "127.0.0.1:0", "--admin-token-file", tokenFile })
            {
                psi.ArgumentList.Add(arg);
            }
            var process = Process.Start(psi)!;
            _ = process.StandardError.ReadToEndAsync();
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            while (true)
            {
                var line = await process.StandardOutput.ReadLineAsync(cts.Token) ?? throw new InvalidOperationException("server exited before it was ready");
                if (line.StartsWith("hangar s3 ready ", StringComparison.Ordinal))
                {
                    var http = line.Split(' ').First(p => p.StartsWith("http=", StringComparison.Ordinal))[5..];
                    _ = DrainAsync(process.StandardOutput);
                    return new ServerProcess(process, new Uri(http));
                }
            }
        }

        private static async Task DrainAsync(StreamReader reader)
        {
            while (await reader.ReadLineAsync() is not null)
            {
            }
        }

        public async Task AdminAsync(HttpMethod method, string path, object body)
        {
            using var http = new HttpClient { BaseAddress = Address };
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "crash-token");
            using var response = await http.SendAsync(new HttpRequestMessage(method, path) { Content = JsonContent.Create(body) });
            response.EnsureSuccessStatusCode();
        }

        public AmazonS3Client Client() => new(new BasicAWSCredentials("CRASH", "crash-secret-012345"),
            new AmazonS3Config { ServiceURL = Address.ToString(), ForcePathStyle = true, AuthenticationRegion = "local", MaxErrorRetry = 0 });

        public void Kill()
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }

        public void Dispose()
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit();
            }
            _process.Dispose();
        }
    }

    /// <summary>A large generated body that signals once <c>signalAt</c> bytes are sent, then trickles.</summary>
    private sealed class SlowStream(long length, long signalAt, TaskCompletionSource signal) : Stream
    {
        private long _position;

        public override int Read(byte[] buffer, int offset, int count)
        {
            if (_position >= length)
            {
                return 0;
            }
            if (_position >= signalAt)
            {
                signal.TrySetResult();
                Thread.Sleep(5); // Pacing the upload, not waiting for state.
            }
            var n = (int)Math.Min(count, length - _position);
            buffer.AsSpan(offset, n).Fill((byte)(_position / 4096));
            _position += n;
            return n;
        }

        public override bool CanRead => true;

        public override bool CanSeek => true;

        public override bool CanWrite => false;

        public override long Length => length;

        public override long Position { get => _position; set => _position = value; }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => _position = origin switch
        {
            SeekOrigin.Begin => offset,
            SeekOrigin.Current => _position + offset,
            _ => length + offset,
        };

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
