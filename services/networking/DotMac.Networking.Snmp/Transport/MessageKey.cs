using DotMac.Networking.Snmp.Ber;

namespace DotMac.Networking.Snmp.Transport;

/// <summary>Reads just enough of a datagram to route it to its waiting request: the v3 msgID, else the request-id.</summary>
internal static class MessageKey
{
    public static bool TryRead(ReadOnlySpan<byte> datagram, out int key)
    {
        key = 0;
        try
        {
            var outer = new BerReader(datagram);
            var message = outer.ReadSequence("Message");
            var version = message.ReadInteger("msgVersion");
            if (version == 3)
            {
                var global = message.ReadSequence("msgGlobalData");
                key = global.ReadInt32("msgID");
                return true;
            }
            message.ReadOctetString("community");
            var pdu = message.ReadConstructed(message.PeekTag(), "PDU");
            key = pdu.ReadInt32("request-id");
            return true;
        }
        catch (SnmpDecodeException)
        {
            return false;
        }
    }
}
