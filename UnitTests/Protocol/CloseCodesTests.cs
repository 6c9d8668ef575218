using AspireResilience.Protocol;

namespace AspireResilience.UnitTests.Protocol;

/// <summary>The "reconnect?" column of docs/protocol.md, code by code.</summary>
[TestClass]
public sealed class CloseCodesTests
{
    [TestMethod]
    [DataRow(CloseCodes.Normal, false)]
    [DataRow(CloseCodes.GoingAway, true)]
    [DataRow(CloseCodes.ProtocolError, false)]
    [DataRow(CloseCodes.BinaryFrame, false)]
    [DataRow(1006, true)] // abnormal closure: no close frame, the link failed
    [DataRow(CloseCodes.InvalidUtf8, false)]
    [DataRow(CloseCodes.Policy, false)]
    [DataRow(CloseCodes.TooBig, false)]
    [DataRow(CloseCodes.ServerError, true)]
    [DataRow(CloseCodes.TryAgainLater, true)]
    [DataRow(CloseCodes.Superseded, false)]
    [DataRow(CloseCodes.TokenExpired, true)]
    [DataRow(CloseCodes.Forbidden, false)]
    [DataRow(CloseCodes.HelloTimeout, false)]
    [DataRow(CloseCodes.TooManyConnections, false)]
    [DataRow(CloseCodes.TooManyReconnects, true)]
    [DataRow(CloseCodes.MalformedHello, false)]
    public void CloseCodeAdvisesReconnectAsDocumented(int code, bool reconnect) =>
        Assert.AreEqual(reconnect, CloseCodes.AllowsReconnect(code));

    [TestMethod]
    public void ListedCodesHaveTheDocumentedValues()
    {
        int[] documented = [1000, 1001, 1002, 1003, 1007, 1008, 1009, 1011, 1013, 4000, 4001, 4003, 4008, 4009, 4029, 4400];
        var declared = typeof(CloseCodes).GetFields()
            .Where(f => f.IsLiteral && f.FieldType == typeof(int))
            .Select(f => (int)f.GetRawConstantValue()!)
            .Order()
            .ToArray();

        // A new code must be added to docs/protocol.md and to the table above.
        CollectionAssert.AreEqual(documented, declared);
    }
}
