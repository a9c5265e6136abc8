using DotMac.ServiceDefaults.Messaging;
using NUnit.Framework;

namespace DotMac.ServiceDefaults.Tests;

[TestFixture]
public sealed class When_a_messaging_connection_string_is_read
{
    [Test]
    public void Should_take_user_password_port_and_virtual_host_from_the_uri()
    {
        var endpoint = RabbitMqEndpoint.Parse("amqp://dotmac:p%40ss%2Fw@broker.local:55672/tenant%2Fa");

        Assert.That(endpoint, Is.EqualTo(new RabbitMqEndpoint("broker.local", 55672, "tenant/a", "dotmac", "p@ss/w", false)));
    }

    [Test]
    public void Should_default_to_port_5672_and_the_root_virtual_host()
    {
        var endpoint = RabbitMqEndpoint.Parse("amqp://localhost");

        Assert.That((endpoint.Port, endpoint.VirtualHost, endpoint.Username), Is.EqualTo(((ushort)5672, "/", "guest")));
    }

    [Test]
    public void Should_use_tls_and_port_5671_for_amqps()
    {
        var endpoint = RabbitMqEndpoint.Parse("amqps://u:p@mq.example.net/");

        Assert.That((endpoint.UseTls, endpoint.Port), Is.EqualTo((true, (ushort)5671)));
    }

    [TestCase("localhost:5672")]
    [TestCase("http://localhost:5672")]
    [TestCase("")]
    public void Should_refuse_anything_but_an_amqp_uri(string value)
    {
        var error = Assert.Throws<FormatException>(() => RabbitMqEndpoint.Parse(value));

        Assert.That(error!.Message, Does.Contain("amqp://"));
    }

    [Test]
    public void Should_not_show_the_password_when_printed()
    {
        Assert.That(RabbitMqEndpoint.Parse("amqp://u:secret@h:1/v").ToString(), Does.Not.Contain("secret"));
    }
}
