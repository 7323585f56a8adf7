using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using DsrPortal.Features.Verification;
using DsrPortal.Tests.Infrastructure;

namespace DsrPortal.Tests.Features.Verification;

/// <summary>The HTTP gateway adapter against a real HTTP listener on loopback, configured as an operator would.</summary>
public sealed class SmsGatewayTests(SmsGatewayTests.Portal portal) : IClassFixture<SmsGatewayTests.Portal>
{
    public sealed class Portal : IAsyncLifetime
    {
        public Portal()
        {
            Gateway = new GatewayListener();
            Factory = new PortalFactory(new Dictionary<string, string?>
            {
                ["Api:LoginAttemptsPerMinute"] = "1000",
                ["Sms:DeliveryMode"] = "Gateway",
                ["Sms:Gateway:Url"] = Gateway.Url + "send",
                ["Sms:Gateway:BodyTemplate"] = """{"mobile":"{{phoneE164}}","content":"{{message}}","vars":{"code":"{{code}}"}}""",
                ["Sms:Gateway:Username"] = "portal",
                ["Sms:Gateway:Password"] = "gateway-secret",
                ["Sms:Gateway:Headers:X-Sign-Name"] = "DemoApp",
            });
        }

        public PortalFactory Factory { get; }

        public GatewayListener Gateway { get; }

        public Task InitializeAsync()
        {
            _ = Factory.Server;
            return Task.CompletedTask;
        }

        public async Task DisposeAsync()
        {
            await Factory.DisposeAsync();
            Gateway.Dispose();
        }
    }

    [Fact]
    public async Task A_code_goes_to_the_configured_gateway_with_its_credentials_and_template()
    {
        var api = await portal.Factory.ApiClientAsync("subject@demo.local");
        api.DefaultRequestHeaders.AcceptLanguage.ParseAdd("zh-CN");

        var response = await api.PostAsJsonAsync("/api/v1/me/phone/code", new { phone = "13700001111" });

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var received = portal.Gateway.Received.Last();
        Assert.Equal("POST", received.Method);
        Assert.Equal("/send", received.Path);
        Assert.Equal("Basic " + Convert.ToBase64String("portal:gateway-secret"u8.ToArray()), received.Authorization);
        Assert.Equal("DemoApp", received.SignName);
        using var body = JsonDocument.Parse(received.Body);
        Assert.Equal("+8613700001111", body.RootElement.GetProperty("mobile").GetString());
        var code = body.RootElement.GetProperty("vars").GetProperty("code").GetString()!;
        Assert.Matches(@"^\d{6}$", code);
        var content = body.RootElement.GetProperty("content").GetString()!;
        Assert.Contains(code, content);
        // In the language of whoever asked, as characters (not \u escapes) for the provider to show.
        Assert.Contains("验证码", received.Body);

        var proven = await api.PostAsJsonAsync("/api/v1/me/phone", new { phone = "13700001111", code });
        Assert.Equal(HttpStatusCode.OK, proven.StatusCode);
    }

    [Fact]
    public async Task A_gateway_that_fails_is_reported_in_words_and_the_person_may_try_again_at_once()
    {
        var api = await portal.Factory.ApiClientAsync("minor@demo.local");
        portal.Gateway.FailNext = true;

        var failed = await api.PostAsJsonAsync("/api/v1/me/phone/code", new { phone = "13700002222" });

        Assert.Equal(HttpStatusCode.ServiceUnavailable, failed.StatusCode);
        Assert.Contains("could not be sent", await failed.Content.ReadAsStringAsync());
        var retried = await api.PostAsJsonAsync("/api/v1/me/phone/code", new { phone = "13700002222" });
        Assert.Equal(HttpStatusCode.Accepted, retried.StatusCode);
    }

    [Fact]
    public void A_form_encoded_template_gets_each_value_url_encoded()
    {
        var gateway = new SmsGatewayOptions
        {
            ContentType = "application/x-www-form-urlencoded",
            BodyTemplate = "to={{phone}}&msg={{message}}&code={{code}}",
        };

        var body = HttpGatewaySmsSender.Body(gateway, new SmsMessage("13800000001", "Code 123456 & more=yes 验证码", "123456"));

        Assert.Equal("to=13800000001&msg=Code%20123456%20%26%20more%3Dyes%20%E9%AA%8C%E8%AF%81%E7%A0%81&code=123456", body);
        var json = HttpGatewaySmsSender.Body(new SmsGatewayOptions(), new SmsMessage("13800000001", "He said \"hi\"\n", "1"));
        Assert.Equal("""{"to":"+8613800000001","text":"He said \"hi\"\n"}""", json);
    }

    /// <summary>A minimal SMS provider: records what it is sent and answers 200, or 500 when told to fail.</summary>
    public sealed class GatewayListener : IDisposable
    {
        private readonly HttpListener listener = new();

        public GatewayListener()
        {
            var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            var port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
            Url = $"http://127.0.0.1:{port}/";
            listener.Prefixes.Add(Url);
            listener.Start();
            _ = Task.Run(ServeAsync);
        }

        public string Url { get; }

        public ConcurrentQueue<Request> Received { get; } = new();

        public volatile bool FailNext;

        public sealed record Request(string Method, string Path, string? Authorization, string? SignName, string Body);

        private async Task ServeAsync()
        {
            while (listener.IsListening)
            {
                HttpListenerContext context;
                try
                {
                    context = await listener.GetContextAsync();
                }
                catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
                {
                    return;
                }

                using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
                Received.Enqueue(new Request(context.Request.HttpMethod, context.Request.Url!.AbsolutePath,
                    context.Request.Headers["Authorization"], context.Request.Headers["X-Sign-Name"], await reader.ReadToEndAsync()));
                context.Response.StatusCode = FailNext ? 500 : 200;
                FailNext = false;
                context.Response.Close();
            }
        }

        public void Dispose() => listener.Close();
    }
}
