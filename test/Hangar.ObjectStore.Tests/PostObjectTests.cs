namespace Hangar.ObjectStore.Tests;

/// <summary>Browser uploads (POST Object) against the real server: boto3 with curl, the JavaScript SDK, headless Chromium.</summary>
public sealed class PostObjectTests(S3Fixture fx) : IClassFixture<S3Fixture>
{
    [Fact]
    public async Task Boto3_PresignedPost_WithCurl_UploadsAndRefusesEachPolicyViolation()
    {
        var script = Path.Combine(AppContext.BaseDirectory, "Scripts", "boto3_post.py");
        var (code, output) = await ExternalClientTests.RunAsync("/usr/bin/python3", script, ExternalClientTests.Env(fx, ""), TimeSpan.FromSeconds(120));
        Assert.True(code == 0, output);
        Assert.EndsWith("OK", output.Trim());
    }
}
