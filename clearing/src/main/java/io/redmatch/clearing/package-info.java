/**
 * The clearing service: pulls every pair's fills from the engine nodes over RESP and applies each exactly once to a
 * persisted ledger of balances per account and asset.
 */
package io.redmatch.clearing;
