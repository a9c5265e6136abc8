// The shapes of the gateway's answers that the console reads (camelCase JSON of the services' records).

export interface OffsetPage<T> { items: T[]; total: number; limit: number; offset: number }
export interface KeysetPage<T> { items: T[]; next: string | null }

export interface Address { line1: string; line2?: string | null; city: string; region?: string | null; postalCode: string; country: string }
export interface Customer { id: string; kind: string; name: string; email: string; phone?: string | null; address?: Address; portalId: string | null; portalStatus: string | null }
export interface CustomerCreated { customer: Customer; portal: { portalId: string; initialPassword: string } | null }

export interface PlanTerms {
  downloadMbps: number; uploadMbps: number; price: number; currency: string; billingPeriod: string;
  burstDownloadMbps?: number | null; burstUploadMbps?: number | null; burstSeconds?: number | null;
  dataCapGb?: number | null; fairUseDownloadMbps?: number | null; fairUseUploadMbps?: number | null;
}
export interface Plan { id: string; code: string; name: string; status: string; version: number; terms: PlanTerms; createdAt: string; updatedAt: string }
export interface PlanVersion { version: number; terms: PlanTerms; createdAt: string }

export interface OrderStep { step: string; outcome: string; detail: string | null; at: string }
export interface Order {
  id: string; serviceId: string; customerId: string; planId: string; planVersion: number; poolId: string; username: string;
  status: string; serviceStatus: string; address: string | null; subscriptionId: string | null; failedStep: string | null;
  failureReason: string | null; createdAt: string; updatedAt: string; steps?: OrderStep[] | null;
}
export interface Service {
  id: string; orderId: string; customerId: string; planId: string; planVersion: number; poolId: string; username: string;
  address: string | null; subscriptionId: string | null; status: string; statusReason: string | null;
  activatedAt: string | null; suspendedAt: string | null; terminatedAt: string | null; createdAt: string;
}

export interface IpPrefix { id: string; prefix: string; site: string | null; description: string | null }
export interface IpPool {
  id: string; name: string; prefixId: string; network: string; assignLength?: number | null; gateway?: string | null;
  description?: string | null; size?: number; allocated?: number; utilisation?: number;
}

export interface InvoiceLine { position: number; kind: string; description: string; periodStart: string | null; periodEnd: string | null; amount: number }
export interface Invoice {
  id: string; number: string | null; accountId: string; customerId: string; cycleId: string | null; status: string; currency: string;
  periodStart: string | null; periodEnd: string | null; linesTotal: number; net: number; taxTotal: number; total: number;
  amountPaid: number; amountCredited: number; amountDue: number; issuedAt: string | null; dueAt: string | null;
  settledAt: string | null; dunningStage: string | null; voidReason: string | null; lines?: InvoiceLine[] | null;
}
export interface Payment {
  id: string; accountId: string; customerId: string; method: string; amount: number; currency: string; status: string;
  reference: string | null; providerReference: string | null; failureReason: string | null; attempts: number;
  allocations: { invoiceId: string; invoiceNumber: string | null; source: string; amount: number }[]; keptAsCredit: number; createdAt: string;
}
export interface BillingAccount { id: string; customerId: string; currency: string | null; status: string; creditBalance: number; createdAt: string }
