import { DeleteCommand, QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { AddressSuppression } from '../../domain/customers/profile';
import type { AddressFacts } from '../../usecases/ports/customers';
import { addressCustomerSk, addressPk } from './items';

/**
 * What is kept under an address's salted hash, outside any customer's partition: its erasure
 * tombstone, a suppression SES feedback set, and which customers have the address now.
 */
export class AddressRecords {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /**
   * What is known of an address by its salted hash, in one query: when it was erased, and whether SES
   * feedback suppressed it while no customer could be named.
   */
  async addressFacts(addressHash: string): Promise<AddressFacts> {
    const { Items = [] } = await this.doc.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': addressPk(addressHash) },
      }),
    );
    const tombstone = Items.find((i) => i['sk'] === 'TOMBSTONE');
    const suppression = Items.find((i) => i['sk'] === 'SUPPRESSION');
    return {
      ...(tombstone ? { erasedAt: tombstone['at'] as string } : {}),
      ...(suppression
        ? {
            suppression: {
              reason: suppression['reason'] as AddressSuppression['reason'],
              at: suppression['at'] as string,
              blocksTransactional: suppression['blocksTransactional'] === true,
            },
          }
        : {}),
    };
  }

  /** The customers who have this address now, by its salted hash: exact match only, never a listing. */
  async customersWithAddress(addressHash: string): Promise<string[]> {
    const { Items = [] } = await this.doc.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :customer)',
        ExpressionAttributeValues: { ':pk': addressPk(addressHash), ':customer': addressCustomerSk('') },
        ConsistentRead: true,
      }),
    );
    return Items.map((i) => i['customerId'] as string);
  }

  /** Forgets that a customer has this address (their erasure). */
  async unlinkAddress(addressHash: string, customerId: string): Promise<void> {
    await this.doc.send(
      new DeleteCommand({ TableName: this.tableName, Key: { pk: addressPk(addressHash), sk: addressCustomerSk(customerId) } }),
    );
  }

  /**
   * Suppresses an address by its salted hash, for whoever has it now or later. A hard bounce's "stops
   * transactional mail too" is never weakened by a later complaint.
   */
  async suppressAddress(addressHash: string, suppression: AddressSuppression): Promise<void> {
    await this.doc.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: { pk: addressPk(addressHash), sk: 'SUPPRESSION' },
        UpdateExpression:
          'SET kind = :kind, reason = :reason, #at = :at, blocksTransactional = ' +
          (suppression.blocksTransactional ? ':yes' : 'if_not_exists(blocksTransactional, :no)'),
        ExpressionAttributeNames: { '#at': 'at' },
        ExpressionAttributeValues: {
          ':kind': 'addressSuppression',
          ':reason': suppression.reason,
          ':at': suppression.at,
          ...(suppression.blocksTransactional ? { ':yes': true } : { ':no': false }),
        },
      }),
    );
  }
}
