package org.exportcontrol.gateway;

import org.exportcontrol.platform.testing.ServiceBootContract;

import io.quarkus.test.junit.QuarkusTest;

/** gateway boots against PostgreSQL and Keycloak and serves what every platform service serves. */
@QuarkusTest
class GatewayBootTest extends ServiceBootContract {
}
